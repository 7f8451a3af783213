using MarketMakers.LoadGen;

// The api-load bench's client side, in a process of its own so that its CPU is not the app's (see ApiLoadScenario).
// Usage: MarketMakers.LoadGen <base-url> <email-pattern with {0}> <password> <clients>
// Each client signs in through POST /api/v1/auth/login, then places orders back to back over one HTTP/1.1 keep-alive
// connection. Even clients cross (BUY 1 @ 100.00 against the resting ask), odd ones rest (SELL 1 @ 200.00).
// Protocol on stdin/stdout (one line each): it prints "ready" once every client is signed in and placing; then
// "start <label>" begins a measurement window, "stop" ends it and prints its "window ..." line, "summary <label>"
// prints one line over every window of that label (percentiles over all their latencies); "quit" ends the run.
if (args.Length < 4 || !int.TryParse(args[3], out var clients) || clients < 1)
{
    Console.Error.WriteLine("usage: MarketMakers.LoadGen <base-url> <email-pattern> <password> <clients>");
    return 2;
}

await using var load = await OrderLoad.StartAsync(new Uri(args[0]), args[1], args[2], clients);
Console.WriteLine("ready");
while (Console.ReadLine() is { } command)
{
    var (verb, label) = command.Trim().Split(' ', 2) is [var v, var l] ? (v, l) : (command.Trim(), "");
    switch (verb)
    {
        case "start":
            load.StartWindow(label);
            break;
        case "stop":
            Console.WriteLine(load.StopWindow().Line());
            break;
        case "summary":
            Console.WriteLine(load.Summary(label).Line());
            break;
        case "quit":
            return 0;
    }
}

return 0;
