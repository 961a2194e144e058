using RollbackVerifier.Execution.Commands;

namespace RollbackVerifier.Tests.CommandSteps;

/// <summary>Secrets never survive into captured output, in any of the forms tools print them.</summary>
public sealed class RedactionTests
{
    [Test]
    public void Every_form_of_the_password_is_redacted()
    {
        const string password = "p@ss w\"o'rd;1";
        var secrets = Redaction.FormsOf(password);
        string[] printed =
        [
            $"PGPASSWORD={password}",
            $"postgresql://u:{Uri.EscapeDataString(password)}@h:5432/db",
            $"postgresql://u:{System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(password), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant())}@h/db",
            $"Host=h;Password=\"{password.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
            $"Password='{password.Replace("'", "''", StringComparison.Ordinal)}'",
            "{\"password\":\"p@ss w\\\"o'rd;1\"}",
            $"form: {Uri.EscapeDataString(password).Replace("%20", "+", StringComparison.Ordinal)}",
        ];
        foreach (var line in printed)
        {
            var redacted = Redaction.Redact(line, secrets);
            Assert.That(redacted, Does.Contain(Redaction.Mask), line);
            Assert.That(redacted, Does.Not.Contain("ss w").And.Not.Contain("rd;1").And.Not.Contain("rd%3B1").And.Not.Contain("rd%3b1"), line);
        }
    }

    [Test]
    public void No_password_means_nothing_to_redact()
    {
        Assert.That(Redaction.FormsOf(null), Is.Empty);
        Assert.That(Redaction.FormsOf(""), Is.Empty);
        Assert.That(Redaction.Redact("Data Source=/tmp/x.db", Redaction.FormsOf(null)), Is.EqualTo("Data Source=/tmp/x.db"));
    }

    [Test]
    public void Output_is_redacted_as_it_is_collected()
    {
        var output = new CommandOutput(Redaction.FormsOf("hunter2hunter2"));
        output.AddLine("connecting with hunter2hunter2");
        Assert.That(output.ToString(), Is.EqualTo("connecting with [redacted]\n"));
        Assert.That(output.LastLines(1), Is.EqualTo(new[] { "connecting with [redacted]" }));
    }

    [Test]
    public async Task A_secret_straddling_the_line_cut_is_redacted_whole()
    {
        const string password = "0123456789abcdef0123456789abcdef";
        var output = new CommandOutput(Redaction.FormsOf(password));
        var line = new string('x', CommandOutput.MaxLineChars - 10) + password + new string('y', 5000) + "\n";
        await output.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(line)), CancellationToken.None);
        var text = output.ToString();
        Assert.That(text, Does.Not.Contain("0123456789"), "no prefix of the secret survives the cut");
        Assert.That(text, Does.Contain("[line cut:"));
        Assert.That(output.Truncated, Is.True);
    }
}
