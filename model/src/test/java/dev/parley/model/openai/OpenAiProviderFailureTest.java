package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.error;
import static dev.parley.model.openai.StandInOpenAi.responsesJson;
import static dev.parley.model.openai.StandInOpenAi.responsesStream;
import static dev.parley.model.openai.StandInOpenAi.responsesStreamCut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.model.Completion;
import dev.parley.model.ModelException;
import dev.parley.model.TextRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each failure the issue names, replayed by the stand-in with OpenAI's own status codes and error bodies. */
class OpenAiProviderFailureTest {
    static final String BAD_KEY = "Incorrect API key provided: sk-wrong. You can find your API key at "
            + "https://platform.openai.com/account/api-keys.";
    static final String VERIFY = "Your organization must be verified to stream this model. Please go to: "
            + "https://platform.openai.com/settings/organization/general and click on Verify Organization. "
            + "If you just verified, it can take up to 15 minutes for access to propagate.";

    private final StandInOpenAi server = StandInOpenAi.start();
    private final CapturedLog log = new CapturedLog();
    private final List<String> deltas = new CopyOnWriteArrayList<>();
    private OpenAiProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) provider.close();
        server.close();
        log.close();
    }

    private OpenAiProvider provider(Duration timeout, int maxRetries) {
        provider = new OpenAiProvider(new OpenAiSettings("sk-wrong", server.baseUrl(), "gpt-5-nano", timeout, maxRetries));
        return provider;
    }

    private static TextRequest hello() {
        return new TextRequest(null, null, List.of(), "Hello", null);
    }

    @Test
    void aBadKeyFailsAtOnceWithAnOperatorMessageLoggedOnceAndASafeUserMessage() {
        server.then(error(401, BAD_KEY, "invalid_request_error", null, "invalid_api_key"));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 2).streamText(hello(), deltas::add));

        assertThat(e.getMessage()).isEqualTo("OpenAI at " + server.baseUrl() + " rejected the API key (401): "
                + "Incorrect API key provided: sk-wrong. You can find your API key at "
                + "https://platform.openai.com/account/api-keys; check OPENAI_API_KEY");
        assertThat(e.userMessage()).as("no retry button, so no \"try again\"").isEqualTo(Failures.NOT_SET_UP);
        assertThat(e.retryable()).isFalse();
        assertThat(server.requests()).as("a 401 is not retried").hasSize(1);
        assertThat(log.warningsAndErrors()).containsExactly(e.getMessage());
        assertThat(log.records().getFirst().getLevel()).isEqualTo(Level.SEVERE);
        assertThat(deltas).isEmpty();
    }

    @Test
    void anUnverifiedOrganizationGetsTheReplyWithoutStreamingAndIsRememberedPerModel() {
        server.then(error(400, VERIFY, "invalid_request_error", "stream", "unsupported_value"),
                responsesJson("Hello! How can I help?"),
                responsesJson("Second answer"),
                responsesStream("other ", "model"));
        OpenAiProvider p = provider(Duration.ofSeconds(5), 0);

        Completion first = p.streamText(hello(), deltas::add);
        Completion second = p.streamText(hello(), deltas::add);
        Completion otherModel = p.streamText(new TextRequest("gpt-5", null, List.of(), "Hi", null), deltas::add);

        assertThat(first.text()).isEqualTo("Hello! How can I help?");
        assertThat(second.text()).isEqualTo("Second answer");
        assertThat(otherModel.text()).isEqualTo("other model");
        assertThat(deltas).containsExactly("Hello! How can I help?", "Second answer", "other ", "model");
        assertThat(server.requests()).hasSize(4);
        assertThat(server.request(0).json().path("stream").asBoolean()).isTrue();
        assertThat(server.request(1).json().has("stream")).as("the fallback does not stream").isFalse();
        assertThat(server.request(2).json().has("stream")).as("the model is remembered").isFalse();
        assertThat(server.request(3).json().path("stream").asBoolean()).as("other models still stream").isTrue();
        assertThat(log.warningsAndErrors()).isEmpty();
    }

    @Test
    void aRateLimitIsRetriedAfterTheRetryAfterDelayTheServerAsksFor() {
        server.then(error(429, "Rate limit reached for gpt-5-nano on requests per min (RPM): Limit 3, Used 3, "
                        + "Requested 1. Please try again in 1s.", "requests", null, "rate_limit_exceeded",
                        "Retry-After", "1"),
                responsesStream("after ", "waiting"));

        Completion done = provider(Duration.ofSeconds(5), 2).streamText(hello(), deltas::add);

        assertThat(done.text()).isEqualTo("after waiting");
        assertThat(server.requests()).hasSize(2);
        Duration gap = Duration.ofNanos(server.request(1).arrivedNanos() - server.request(0).arrivedNanos());
        assertThat(gap).isBetween(Duration.ofMillis(950), Duration.ofMillis(3000));
        assertThat(server.request(1).header("X-Stainless-Retry-Count")).isEqualTo("1");
        assertThat(server.request(1).body()).isEqualTo(server.request(0).body());
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUpToTheLimitThenFailRetryable() {
        for (int i = 0; i < 3; i++) {
            server.then(error(503, "The server is overloaded or not ready yet.", "server_error", null, null));
        }

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 2).streamText(hello(), deltas::add));

        assertThat(server.requests()).as("one try and two retries").hasSize(3);
        for (int i = 1; i < 3; i++) {
            Duration gap = Duration.ofNanos(server.request(i).arrivedNanos() - server.request(i - 1).arrivedNanos());
            // The SDK waits 0.5 s × 2^(retry-1) less up to 25 % jitter when the server names no delay.
            assertThat(gap).as("backoff before retry %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(370L << (i - 1)));
        }
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("(503)").contains("after 2 retries").contains("overloaded");
        assertThat(log.warningsAndErrors()).hasSize(1);
    }

    @Test
    void aServerErrorFollowedBySuccessDeliversTheReply() {
        server.then(error(500, "The server had an error while processing your request.", "server_error", null, null,
                "Retry-After-Ms", "50"), responsesStream("fine"));

        assertThat(provider(Duration.ofSeconds(5), 1).streamText(hello(), deltas::add).text()).isEqualTo("fine");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aServerThatNeverAnswersFailsRetryableWithinTheTimeout() {
        server.then(new StandInOpenAi.Hang());

        long called = System.nanoTime();
        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofMillis(400), 0).streamText(hello(), deltas::add));

        // The timeout cannot fire before 400 ms from the call. The upper bound is measured from the request's
        // arrival, so the SDK's first-call class loading does not count (and the lower bound not from there:
        // the client's clock starts before the request reaches the stand-in).
        assertThat(StandInOpenAi.since(called)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(StandInOpenAi.since(server.request(0).arrivedNanos())).isLessThanOrEqualTo(Duration.ofMillis(1200));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("did not answer within 400 ms").contains("tried once");
        assertThat(e.userMessage()).isEqualTo("The assistant is taking too long to answer. Please try again.");
    }

    @Test
    void eachRetryOfATimeoutGetsItsOwnTimeoutSoTheWholeWaitIsBounded() {
        server.then(new StandInOpenAi.Hang(), new StandInOpenAi.Hang());

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofMillis(300), 1).streamText(hello(), deltas::add));

        Duration took = StandInOpenAi.since(server.request(0).arrivedNanos());
        assertThat(server.requests()).hasSize(2);
        // Two silences of 300 ms and one backoff of at most 500 ms.
        assertThat(took).isBetween(Duration.ofMillis(600), Duration.ofMillis(1800));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("tried 2 times");
    }

    @Test
    void aStreamDroppedMidReplyKeepsTheDeliveredDeltasAndFailsRetryable() {
        server.then(responsesStreamCut(true, "Our prices ", "start at "));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 2).streamText(hello(), deltas::add));

        assertThat(deltas).containsExactly("Our prices ", "start at ");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("cut the stream after 20 characters").doesNotContain("no data for");
        assertThat(StandInOpenAi.since(server.request(0).arrivedNanos())).as("noticed at once, not by the timeout")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(e.userMessage()).isEqualTo("The reply was interrupted. Please try again.");
        assertThat(server.requests()).as("a started stream is not retried").hasSize(1);
        assertThat(log.warningsAndErrors()).containsExactly(e.getMessage());
    }

    @Test
    void aStreamThatEndsWithoutResponseCompletedIsACutStreamToo() {
        server.then(responsesStreamCut(false, "Half a ", "sentence"));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 2).streamText(hello(), deltas::add));

        assertThat(deltas).containsExactly("Half a ", "sentence");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("cut the stream after 15 characters")
                .contains("without its final event");
    }

    @Test
    void aResponseFailedMidStreamKeepsTheDeltasAndReportsTheModelsError() {
        server.then(StandInOpenAi.responsesStreamFailed("Partial "));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 0).streamText(hello(), deltas::add));

        assertThat(deltas).containsExactly("Partial ");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("failed the response (server_error): The model had an internal error.");
    }

    @Test
    void anErrorEventMidStreamIsReportedRetryable() {
        server.then(StandInOpenAi.responsesStreamError("Partial "));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 0).streamText(hello(), deltas::add));

        assertThat(deltas).containsExactly("Partial ");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Rate limit reached mid-stream.");
    }

    @Test
    void anExceptionFromTheCallersConsumerReachesTheCallerUnchangedAndIsNotLogged() {
        server.then(responsesStream("one ", "two"));
        var gone = new IllegalStateException("the chat client went away");

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> provider(Duration.ofSeconds(5), 0)
                .streamText(hello(), d -> { throw gone; }));

        assertThat(thrown).isSameAs(gone);
        assertThat(log.warningsAndErrors()).isEmpty();
    }

    @Test
    void anUnknownModelNamesWhatToCheck() {
        server.then(error(404, "The model `gpt-9` does not exist or you do not have access to it.",
                "invalid_request_error", null, "model_not_found"));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 2).streamText(new TextRequest("gpt-9", null, List.of(), "Hi", null),
                        deltas::add));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("model 'gpt-9'").contains("(404)").contains("PARLEY_MODEL")
                .contains("does not exist");
    }

    @Test
    void anExhaustedQuotaIsNotRetryable() {
        server.then(error(429, "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota", null, "insufficient_quota"));

        ModelException e = catchThrowableOfType(ModelException.class,
                () -> provider(Duration.ofSeconds(5), 0).structured(OpenAiProviderTest.route("Hi")));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("quota is used up");
    }
}
