package dev.parley.model.openai;

import com.openai.models.responses.FileSearchTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFileSearchToolCall;
import com.openai.models.responses.ResponseFunctionWebSearch;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseOutputTextAnnotationAddedEvent;
import com.openai.models.responses.WebSearchTool;
import dev.parley.model.HostedTool;
import dev.parley.model.Source;
import dev.parley.model.TextSink;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the Responses API's hosted tools add to one text request and its reply: the {@code file_search} and
 * {@code web_search} tools sent, the progress notices while OpenAI runs them, and the citations in the answer as
 * {@link Source}s. One instance per call; not shared between threads.
 */
final class HostedCalls {
    private enum Kind { FILE_SEARCH, WEB_SEARCH }

    private final List<HostedTool> offered;
    private final TextSink sink;
    private final Set<String> started = new HashSet<>();
    private final Set<Source> sources = new LinkedHashSet<>();

    HostedCalls(List<HostedTool> offered, TextSink sink) {
        this.offered = offered;
        this.sink = sink;
    }

    /**
     * Adds the request's hosted tools to {@code params}. Several vector store searches become one
     * {@code file_search} tool over all their stores, with the largest result count: the API takes one tool of a
     * kind, and one search over every store ranks their passages together.
     */
    static void offer(ResponseCreateParams.Builder params, List<HostedTool> tools) {
        List<String> stores = new ArrayList<>();
        int maxResults = 0;
        boolean web = false;
        for (HostedTool tool : tools) {
            switch (tool) {
                case HostedTool.VectorStoreSearch v -> {
                    for (String id : v.vectorStoreIds()) if (!stores.contains(id)) stores.add(id);
                    maxResults = Math.max(maxResults, v.maxResults());
                }
                case HostedTool.WebSearch w -> web = true;
                // Refused before the request is built (OpenAiProvider.runs); nothing to send.
                case HostedTool.KnowledgeSearch k -> {}
            }
        }
        if (!stores.isEmpty()) {
            FileSearchTool.Builder search = FileSearchTool.builder().vectorStoreIds(stores);
            // Left out when unset, so OpenAI's own default applies rather than a count nobody chose.
            if (maxResults > 0) search.maxNumResults(maxResults);
            params.addTool(search.build());
        }
        if (web) params.addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build());
    }

    /** Notes an output item as it opens: a hosted call starting is shown before its own progress event arrives. */
    void opened(ResponseOutputItem item) {
        if (item.isFileSearchCall()) start(item.asFileSearchCall().id(), Kind.FILE_SEARCH);
        else if (item.isWebSearchCall()) start(item.asWebSearchCall().id(), Kind.WEB_SEARCH);
    }

    void fileSearchInProgress(String itemId) {
        start(itemId, Kind.FILE_SEARCH);
    }

    void webSearchInProgress(String itemId) {
        start(itemId, Kind.WEB_SEARCH);
    }

    /** Notes a finished output item: a hosted call that failed is worth a line in the log, the answer goes on. */
    void finished(ResponseOutputItem item) {
        if (item.isFileSearchCall()) {
            ResponseFileSearchToolCall call = item.asFileSearchCall();
            String status = call.status().asString();
            if (!status.equals("completed")) {
                Failures.LOG.log(Level.WARNING, "OpenAI's file_search " + call.id() + " ended " + status
                        + " (queries " + call.queries() + "); the answer may lack what it would have found");
            }
        } else if (item.isWebSearchCall()) {
            ResponseFunctionWebSearch call = item.asWebSearchCall();
            String status = call.status().asString();
            if (!status.equals("completed")) {
                Failures.LOG.log(Level.WARNING, "OpenAI's web_search " + call.id() + " ended " + status
                        + "; the answer may lack what it would have found");
            }
        }
    }

    /** Takes a citation as the stream announces it. */
    void cited(ResponseOutputTextAnnotationAddedEvent event) {
        event.annotation().ifPresent(a -> {
            if (a.isFileCitation()) fileSource(a.asFileCitation().filename(), a.asFileCitation().fileId());
            else if (a.isUrlCitation()) urlSource(a.asUrlCitation().title(), a.asUrlCitation().url());
            // Container files and file paths point at files the model wrote (code interpreter), not at sources.
        });
    }

    /**
     * Takes the citations of a finished response's messages: the same ones the stream announced, which are kept
     * once, plus any a stream that skipped the annotation events would otherwise lose.
     */
    void citedIn(Response response) {
        for (ResponseOutputItem item : response.output()) {
            if (!item.isMessage()) continue;
            for (ResponseOutputMessage.Content part : item.asMessage().content()) {
                if (!part.isOutputText()) continue;
                for (ResponseOutputText.Annotation a : part.asOutputText().annotations()) {
                    if (a.isFileCitation()) fileSource(a.asFileCitation().filename(), a.asFileCitation().fileId());
                    else if (a.isUrlCitation()) urlSource(a.asUrlCitation().title(), a.asUrlCitation().url());
                }
            }
        }
    }

    /** {@return the sources cited so far, each once, in the order first cited} */
    List<Source> sources() {
        return List.copyOf(sources);
    }

    // The location is what a chat client shows for a file source (ChatKit's filename); the id only stands in for a
    // file uploaded without a name.
    private void fileSource(String filename, String fileId) {
        boolean named = filename != null && !filename.isBlank();
        sources.add(new Source(named ? filename : fileId, named ? filename : fileId));
    }

    private void urlSource(String title, String url) {
        sources.add(new Source(title == null || title.isBlank() ? url : title, url));
    }

    private void start(String itemId, Kind kind) {
        if (!started.add(itemId)) return;
        HostedTool tool = offered(kind);
        // A hosted call the request did not offer cannot be named as one of its tools; there is nothing to show.
        if (tool == null) return;
        try {
            sink.hostedToolStarted(tool);
        } catch (RuntimeException e) {
            throw new Failures.Downstream(e);
        }
    }

    private HostedTool offered(Kind kind) {
        for (HostedTool tool : offered) {
            boolean match = switch (tool) {
                case HostedTool.VectorStoreSearch v -> kind == Kind.FILE_SEARCH;
                case HostedTool.WebSearch w -> kind == Kind.WEB_SEARCH;
                case HostedTool.KnowledgeSearch k -> false;
            };
            if (match) return tool;
        }
        return null;
    }
}
