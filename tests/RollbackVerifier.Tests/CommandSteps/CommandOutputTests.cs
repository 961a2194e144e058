using System.Text;
using RollbackVerifier.Execution.Commands;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>Captured output: lines in order, bounded memory with a note, progress-bar redraws collapsed.</summary>
public sealed class CommandOutputTests
{
    private static async Task<CommandOutput> Read(string text)
    {
        var output = new CommandOutput([]);
        await output.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);
        return output;
    }

    [Test]
    public async Task Lines_are_kept_in_order_and_a_last_line_without_newline_counts()
    {
        var output = await Read("one\r\ntwo\nthree");
        Assert.That(output.ToString(), Is.EqualTo("one\ntwo\nthree\n"));
        Assert.That(output.Lines, Is.EqualTo(3));
        Assert.That(output.Truncated, Is.False);
    }

    [Test]
    public async Task A_carriage_return_redraws_the_line()
    {
        var output = await Read("progress 10%\rprogress 50%\rprogress 100%\ndone\n");
        Assert.That(output.ToString(), Is.EqualTo("progress 100%\ndone\n"));
    }

    [Test]
    public async Task Long_output_keeps_head_and_tail_and_says_how_much_was_left_out()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Append("line ").Append(i).Append(" of the migration log\n");
        }

        var output = await Read(text.ToString());
        var kept = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(output.Lines, Is.EqualTo(20_000));
            Assert.That(output.Truncated, Is.True);
            Assert.That(kept.Length, Is.LessThanOrEqualTo(CommandOutput.HeadChars + CommandOutput.TailChars + 200));
            Assert.That(kept, Does.StartWith("line 0 of the migration log\n"));
            Assert.That(kept, Does.EndWith("line 19999 of the migration log\n"));
            Assert.That(kept, Does.Match(@"\[rollback-verifier\] \.\.\. \d+ lines \(\d+ characters\) left out \.\.\."));
            Assert.That(output.LastLines(2), Is.EqualTo(new[] { "line 19998 of the migration log", "line 19999 of the migration log" }));
        });
    }

    [Test]
    public async Task A_huge_line_is_cut()
    {
        var output = await Read(new string('z', 1_000_000) + "\nnext\n");
        var kept = output.ToString();
        Assert.That(kept.Length, Is.LessThan(CommandOutput.MaxLineChars + 100));
        Assert.That(kept, Does.Contain("[line cut: " + (1_000_000 - CommandOutput.MaxLineChars) + " more characters]"));
        Assert.That(kept, Does.EndWith("next\n"));
        Assert.That(output.Truncated, Is.True);
    }

    [Test]
    public void Headline_prefers_the_error_line_over_what_follows_it()
    {
        string[] psql = ["migrate: down 002", "psql:down.sql:3: ERROR:  relation \"archive\" does not exist", "LINE 1: UPDATE customers SET ...", "                       ^"];
        Assert.That(CommandStepFindings.Headline(psql), Is.EqualTo("psql:down.sql:3: ERROR:  relation \"archive\" does not exist"));
        Assert.That(CommandStepFindings.Headline(["step 1", "step 2", "[rollback-verifier] note"]), Is.EqualTo("step 2"));
        Assert.That(CommandStepFindings.Headline([]), Is.Null);
    }
}
