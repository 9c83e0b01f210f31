using AkkaStream.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AkkaStream.Web.Tests.Console;

/// <summary>
/// The console end to end in headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by
/// Playwright): a topic with records and a group that committed part of them (<see cref="ConsoleBroker"/>)
/// are on the page — the topic's partitions, the records in the message browser as text and as hex,
/// paging, browsing from a time, the group's lag per partition, the live chart — with screenshots.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleBroker fixture, ITestOutputHelper output) : IClassFixture<ConsoleBroker>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_console_shows_the_topic_its_records_and_the_groups_lag_in_headless_chromium()
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium; tests/run-all.sh does)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        // UTC, so that the time typed into the browser's local-time field is the time the test means.
        await using var context = await browser.NewContextAsync(new() { TimezoneId = "UTC", ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        SetDefaultExpectTimeout(30_000);
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);

        await page.GotoAsync(fixture.Broker.Server.HttpAddress!.ToString());

        // Cluster, topic and group, as the page's polling fills them in.
        await Expect(page.Locator("#members tr[data-broker='1']")).ToContainTextAsync("ready");
        await Expect(page.Locator("#members tr[data-broker='1']")).ToContainTextAsync("controller");
        var topic = page.Locator($"#topics tr[data-topic='{ConsoleBroker.Topic}']");
        await Expect(topic).ToHaveCountAsync(3);
        await Expect(topic.Nth(0).Locator("td.log-end")).ToHaveTextAsync("6");
        await Expect(topic.Nth(1).Locator("td.log-end")).ToHaveTextAsync("4");
        await Expect(topic.Nth(2).Locator("td.log-end")).ToHaveTextAsync("0");
        var lag = page.Locator($"#groups tr[data-group='{ConsoleBroker.Group}']");
        await Expect(lag).ToHaveCountAsync(3);
        await Expect(lag.Nth(0).Locator("td.committed")).ToHaveTextAsync("4");
        await Expect(lag.Nth(0).Locator("td.lag")).ToHaveTextAsync("2");
        await Expect(lag.Nth(1).Locator("td.lag")).ToHaveTextAsync("3");
        await Expect(lag.Nth(2).Locator("td.lag")).ToHaveTextAsync("–");
        await Expect(page.Locator("#groups li[data-member] .client")).ToHaveTextAsync($"consumer-{ConsoleBroker.Group} at /127.0.0.1");
        await Expect(page.Locator("#chart-bytes path[data-series='in']")).ToHaveCountAsync(1);
        await Screenshot(page, "console-overview.png", fullPage: true);

        // The message browser, opened from the topic's partition 0: every record as text.
        await topic.Nth(0).Locator("a[data-browse]").ClickAsync();
        var records = page.Locator("#records tr[data-offset]");
        await Expect(records).ToHaveCountAsync(6);
        await Expect(page.Locator("#records tr[data-offset='0'] td.key")).ToHaveTextAsync("k0");
        await Expect(page.Locator("#records tr[data-offset='0'] td.val")).ToHaveTextAsync("hello");
        await Expect(page.Locator("#records tr[data-offset='0']")).ToContainTextAsync("trace: t-1");
        // Markup in a record is shown as its characters, never run.
        await Expect(page.Locator("#records tr[data-offset='1'] td.val")).ToHaveTextAsync(ConsoleBroker.Markup);
        Assert.Equal(0, await page.Locator("#records script").CountAsync());
        await Expect(page.Locator("#records tr[data-offset='3'] td.val")).ToContainTextAsync("(4.9 KiB in all)");
        await Screenshot(page.Locator("#browser"), "console-records-text.png");

        // The same records as hex.
        await page.Locator("#browse-hex").CheckAsync();
        await Expect(page.Locator("#records tr[data-offset='0'] td.val")).ToHaveTextAsync("68 65 6c 6c 6f");
        await Expect(page.Locator("#records tr[data-offset='2'] td.val")).ToHaveTextAsync("00 ff 10");
        await Screenshot(page.Locator("#browser"), "console-records-hex.png");
        await page.Locator("#browse-hex").UncheckAsync();

        // Paging forward two at a time from offset 0.
        await page.Locator("#browse-limit").FillAsync("2");
        await page.Locator("#browse-offset").FillAsync("0");
        await page.Locator("#browse-load").ClickAsync();
        await Expect(records).ToHaveCountAsync(2);
        await Expect(records.Nth(0)).ToHaveAttributeAsync("data-offset", "0");
        await page.Locator("#browse-next").ClickAsync();
        await Expect(records.Nth(0)).ToHaveAttributeAsync("data-offset", "2");
        await Expect(records.Nth(1)).ToHaveAttributeAsync("data-offset", "3");

        // From a time: the first record at or after it is offset 3 (the older ones are an hour earlier).
        var from = DateTimeOffset.FromUnixTimeMilliseconds(fixture.RecentTimestamp - 2000);
        await page.Locator("input[name=from][value=timestamp]").CheckAsync();
        await page.Locator("#browse-time").FillAsync(DateTimeLocalValue(from.UtcDateTime));
        await page.Locator("#browse-load").ClickAsync();
        await Expect(records.Nth(0)).ToHaveAttributeAsync("data-offset", "3");
        await Expect(page.Locator("#browse-info")).ToContainTextAsync("from offset 3");

        Assert.Empty(scriptErrors);
    }

    /// <summary>
    /// A <c>datetime-local</c> input's value in the form the browser keeps: it drops the seconds when
    /// they are zero, and Playwright refuses a fill whose value the input then reads back differently.
    /// </summary>
    private static string DateTimeLocalValue(DateTime time) =>
        time.ToString(time.Second == 0 ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private async Task Screenshot(IPage page, string name, bool fullPage)
    {
        var path = Path.Combine(Screenshots.Directory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        Saved(path);
    }

    private async Task Screenshot(ILocator element, string name)
    {
        var path = Path.Combine(Screenshots.Directory, name);
        await element.ScreenshotAsync(new() { Path = path });
        Saved(path);
    }

    private void Saved(string path)
    {
        Assert.True(Screenshots.IsNonEmptyPng(path), $"{path} is not a non-empty PNG");
        output.WriteLine($"screenshot: {path}");
    }
}
