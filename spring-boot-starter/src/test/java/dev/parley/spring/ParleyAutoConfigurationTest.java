package dev.parley.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.embed.Parley;
import dev.parley.model.ModelProvider;
import dev.parley.model.echo.EchoProvider;
import dev.parley.server.EchoResponder;
import dev.parley.server.Responder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The auto-configuration in real application contexts: what it defines, how it backs off for the application's own
 * beans, and how a wrong {@code parley.*} value stops the start with a message saying what to fix.
 */
class ParleyAutoConfigurationTest {
    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class))
                .withPropertyValues("parley.store.type=sqlite", "parley.store.sqlite-file=" + dir.resolve("p.db"))
                // The application's own responder keeps these tests off the embedding model.
                .withBean(Responder.class, EchoResponder::new);
    }

    @Test
    void definesParleyOnSqliteWithTheDefaultUsersAndNoMetricsWithoutARegistry() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            Parley parley = context.getBean(Parley.class);
            assertThat(parley.storage().description()).startsWith("SQLite").contains("p.db");
            assertThat(parley.workflows()).as("the application's responder replaces the engine").isNull();
            assertThat(context).as("no model is loaded for an application's own responder")
                    .doesNotHaveBean(ModelProvider.class);
            assertThat(context.getBean(ParleyUsers.class)).isInstanceOf(PrincipalOrVisitor.class);
            assertThat(context.getBean(ParleyMetrics.class)).isSameAs(ParleyMetrics.NONE);
            assertThat(context).doesNotHaveBean(ChatKitController.class);
            ParleyProperties properties = context.getBean(ParleyProperties.class);
            assertThat(properties.path()).isEqualTo("/chatkit");
            assertThat(properties.store().schema()).isEqualTo("parley");
            assertThat(properties.users()).isEqualTo(ParleyProperties.Users.AUTO);
        });
    }

    @Test
    void aServletApplicationGetsTheEndpointAndTheHealthIndicator() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class))
                .withPropertyValues("parley.store.type=sqlite", "parley.store.sqlite-file=" + dir.resolve("w.db"))
                .withBean(Responder.class, EchoResponder::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(ChatKitController.class);
                    assertThat(context).hasSingleBean(WidgetController.class);
                    HealthIndicator health = context.getBean("parleyHealthIndicator", HealthIndicator.class);
                    var result = health.health(true);
                    assertThat(result.getStatus()).isEqualTo(Status.UP);
                    assertThat(result.getDetails()).containsEntry("responder", "the application's own");
                });
    }

    @Test
    void anApplicationWithoutActuatorOrMicrometerStillGetsParley() {
        runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Parley.class);
                    assertThat(context.getBean(ParleyMetrics.class)).isSameAs(ParleyMetrics.NONE);
                    assertThat(context).doesNotHaveBean("parleyHealthIndicator");
                });
    }

    @Test
    void theWidgetCanBeTurnedOff() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class))
                .withPropertyValues("parley.store.type=sqlite", "parley.store.sqlite-file=" + dir.resolve("n.db"),
                        "parley.widget.enabled=false")
                .withBean(Responder.class, EchoResponder::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(ChatKitController.class);
                    assertThat(context).doesNotHaveBean(WidgetController.class);
                });
    }

    @Test
    void theApplicationsOwnBeansReplaceTheDefaults() {
        ParleyUsers tenantUsers = request -> Optional.ofNullable(request.getHeader("X-Tenant-User"));
        ModelProvider model = new EchoProvider();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ParleyAutoConfiguration.class))
                .withPropertyValues("parley.store.type=sqlite", "parley.store.sqlite-file=" + dir.resolve("o.db"))
                .withBean(ParleyUsers.class, () -> tenantUsers)
                .withBean(ModelProvider.class, () -> model)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ParleyUsers.class)).isSameAs(tenantUsers);
                    assertThat(context.getBean(Parley.class).model()).isSameAs(model);
                    assertThat(context.getBean(Parley.class).workflows()).isNotNull();
                    assertThat(context.getBean(ParleyMetrics.class)).isInstanceOf(MicrometerMetrics.class);
                });
    }

    @Test
    void anApplicationsOwnParleyIsUsedAsItIs() {
        runner().withBean("myParley", Parley.class,
                        () -> Parley.builder().sqlite(dir.resolve("mine.db")).responder(new EchoResponder()).build())
                .run(context -> {
                    assertThat(context).hasSingleBean(Parley.class);
                    assertThat(context.getBean(Parley.class).storage().description()).contains("mine.db");
                });
    }

    @Test
    void aWrongPathStopsTheStartAndSaysWhatAPathLooksLike() {
        runner().withPropertyValues("parley.path=chatkit/").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("parley.path must be a path such as /chatkit")
                .hasMessageContaining("\"chatkit/\""));
    }

    @Test
    void aWrongSchemaOrAMissingKeyStopsTheStartNamingTheProperty() {
        runner().withPropertyValues("parley.store.schema=Parley-Data").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("parley.store.schema must be a lower-case SQL name")
                .hasMessageContaining("\"Parley-Data\""));
        runner().withPropertyValues("parley.model.provider=openai").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("parley.model.api-key is required"));
        runner().withPropertyValues("parley.max-body-bytes=10").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("parley.max-body-bytes must be between 1024 and 67108864, got 10"));
        runner().withPropertyValues("parley.users=everyone").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("Failed to bind properties under 'parley.users'"));
    }

    @Test
    void postgresWithoutADataSourceSaysWhatToSet() {
        runner().withPropertyValues("parley.store.type=postgres").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("no (single) DataSource")
                .hasMessageContaining("spring.datasource.url"));
    }

    @Test
    void idesFindEveryPropertyInTheGeneratedMetadata() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-configuration-metadata.json on the classpath").isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"parley.path\"", "\"parley.users\"", "\"parley.store.schema\"",
                    "\"parley.model.provider\"", "\"parley.workflow-id\"", "\"parley.widget.enabled\"");
            assertThat(json).contains("the PostgreSQL schema for Parley's tables");
        }
    }

}
