-- threads.list, a page of 20 of the user's threads, newest first (the turns run before it created them).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PARLEY_BENCH_SECRET")
wrk.body = '{"type":"threads.list","params":{"limit":20,"order":"desc"}}'

-- No response() callback: with one, wrk copies every response's headers and body into Lua, ~40 µs of wrk's CPU
-- per streamed turn taken from the two cores the server under test shares with it. wrk counts non-2xx answers
-- itself ("Non-2xx or 3xx responses"), and the bench scripts stop on that line (bench/wrk-check.sh).
