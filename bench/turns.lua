-- One streamed chat turn per request: threads.create with a 17-word message, which the echo responder
-- answers with 19 text deltas (plus thread.created, the user message, stream options, the assistant item's
-- added/part-added/part-done/done and a thread.updated for the title): 27 events per turn.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PARLEY_BENCH_SECRET")
wrk.body = '{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":'
  .. '"please tell me how a small agency plans builds and ships a fast website for a local bakery this spring"}],'
  .. '"attachments":[],"inference_options":{}}}}'

-- No response() callback: with one, wrk copies every response's headers and body into Lua, ~40 µs of wrk's CPU
-- per streamed turn taken from the two cores the server under test shares with it. wrk counts non-2xx answers
-- itself ("Non-2xx or 3xx responses"), and the bench scripts stop on that line (bench/wrk-check.sh).
