-- threads.list, a page of 20 of the user's threads, newest first (the turns run before it created them).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PARLEY_BENCH_SECRET")
wrk.body = '{"type":"threads.list","params":{"limit":20,"order":"desc"}}'

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
    os.exit(1)
  end
end
