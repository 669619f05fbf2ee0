namespace Acre.Tests.Support;

/// <summary>Waits for a state of the server a test can observe but not be told about, within a bound.</summary>
public static class Condition
{
    public static async Task WaitAsync(Func<bool> isMet, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!isMet())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(10);
        }
    }
}
