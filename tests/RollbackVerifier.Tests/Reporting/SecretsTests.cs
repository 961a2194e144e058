using System.Text.Json;
using RollbackVerifier.Reporting;

namespace RollbackVerifier.Tests.Reporting;

/// <summary>The one redaction rule every report, console line and log goes through.</summary>
public sealed class SecretsTests
{
    [TestCase("postgres://app:s3cr3t-pw@db.internal:5432/prod", "postgres://app:***@db.internal:5432/prod")]
    [TestCase("postgresql://app:p%40ss%2Fw0rd@[::1]:5433/db?sslmode=require", "postgresql://app:***@[::1]:5433/db?sslmode=require")]
    [TestCase("mysql://root:pa@ss@127.0.0.1:3306", "mysql://root:***@127.0.0.1:3306")]
    [TestCase("RV_MYSQL_URL=mariadb://u:x1y2z3@h/ is set", "RV_MYSQL_URL=mariadb://u:***@h/ is set")]
    [TestCase("Host=db;Port=5432;Username=app;Password=s3cr3t-pw;Database=prod", "Host=db;Port=5432;Username=app;Password=***;Database=prod")]
    [TestCase("Server=db;Uid=root;Pwd=s3cr3t-pw", "Server=db;Uid=root;Pwd=***")]
    [TestCase("server=db;user password = 'it''s';", "server=db;user password = '***';")]
    [TestCase("Password=\"quoted; value\";Host=db", "Password=\"***\";Host=db")]
    [TestCase("PGPASSWORD=s3cr3t-pw psql -h db", "PGPASSWORD=*** psql -h db")]
    [TestCase("export MYSQL_PWD=s3cr3t-pw MYSQL_ROOT_PASSWORD='other one'", "export MYSQL_PWD=*** MYSQL_ROOT_PASSWORD='***'")]
    [TestCase("https://host/login?user=a&password=s3cr3t-pw&next=/", "https://host/login?user=a&password=***&next=/")]
    [TestCase("ALTER ROLE app WITH LOGIN ENCRYPTED PASSWORD 's3cr3t''pw' VALID UNTIL 'infinity'", "ALTER ROLE app WITH LOGIN ENCRYPTED PASSWORD '***' VALID UNTIL 'infinity'")]
    [TestCase("CREATE USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY 's3cr3t-pw';", "CREATE USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY '***';")]
    public void Password_shaped_values_are_masked(string text, string expected) =>
        Assert.That(Secrets.Redact(text), Is.EqualTo(expected));

    [TestCase("Cannot connect to the PostgreSQL server postgres://app@db:5432/prod: Failed to connect to 127.0.0.1:1.")]
    [TestCase("Access denied for user 'root'@'172.17.0.1' (using password: YES)")]
    [TestCase("ALTER TABLE users ADD COLUMN password_hash text; UPDATE users SET password_hash = md5(email);")]
    [TestCase("see http://example.com:8080/path and user@example.com")]
    [TestCase("44 rows have lost their value of public.customers.country")]
    public void Text_without_secrets_is_unchanged(string text) =>
        Assert.That(Secrets.Redact(text), Is.EqualTo(text));

    [Test]
    public void Registered_values_are_masked_anywhere_also_url_encoded_and_redaction_is_idempotent()
    {
        var secret = "reg/" + Guid.NewGuid().ToString("N")[..12] + " x";
        Secrets.Register(secret);
        var text = $"error: server said '{secret}' and the URL had {Uri.EscapeDataString(secret)}";

        var once = Secrets.Redact(text);

        Assert.Multiple(() =>
        {
            Assert.That(once, Is.EqualTo("error: server said '***' and the URL had ***"));
            Assert.That(Secrets.Redact(once), Is.EqualTo(once));
        });
    }

    [Test]
    public void Short_registered_values_are_not_masked_as_bare_words()
    {
        Secrets.Register("pw1");
        Assert.That(Secrets.Redact("pw1 is not masked; Password=pw1 is"), Is.EqualTo("pw1 is not masked; Password=*** is"));
    }

    [Test]
    public void Json_strings_and_keys_are_masked_without_changing_layout_or_validity()
    {
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        const string Json = "{\n  \"a\": \"Password=\\\"x;y\\\" and postgres://u:p@h/d\",\n  \"n\": 26.80,\n  \"list\": [\n    true,\n    null,\n    \"café <b>\"\n  ],\n  \"Pwd=abcd\": {}\n}\n";

        var redacted = Secrets.RedactJson(Json, options);

        Assert.Multiple(() =>
        {
            Assert.That(redacted, Is.EqualTo("{\n  \"a\": \"Password=\\\"***\\\" and postgres://u:***@h/d\",\n  \"n\": 26.80,\n  \"list\": [\n    true,\n    null,\n    \"café <b>\"\n  ],\n  \"Pwd=***\": {}\n}\n"));
            Assert.That(() => JsonDocument.Parse(redacted).Dispose(), Throws.Nothing);
        });
    }
}
