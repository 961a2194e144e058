using RollbackVerifier.Model;

namespace RollbackVerifier.Tests.Unit;

public sealed class CanonicalValueTests
{
    [TestCase("12.30", "12.3")]
    [TestCase("12.3", "12.3")]
    [TestCase("5.00", "5")]
    [TestCase("-0.00", "0")]
    [TestCase("007.50", "7.5")]
    [TestCase("-1.2345", "-1.2345")]
    [TestCase("12345678901234567890123456789012345.000000000000000000000000000001", "12345678901234567890123456789012345.000000000000000000000000000001")]
    [TestCase("NaN", "NaN")]
    public void Numeric_text_is_normalized_without_rounding(string text, string expected) =>
        Assert.That(CanonicalValue.NormalizeNumericText(text), Is.EqualTo(expected));

    [Test]
    public void Decimals_floats_and_bytes_have_one_form()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CanonicalValue.Format(12.30m), Is.EqualTo("12.3"));
            Assert.That(CanonicalValue.Format(5.0), Is.EqualTo("5"));
            Assert.That(CanonicalValue.Format(0.1), Is.EqualTo("0.1"));
            Assert.That(CanonicalValue.Format(new byte[] { 1, 255 }), Is.EqualTo("\\x01ff"));
            Assert.That(CanonicalValue.Format(new byte[300]), Does.StartWith("sha256:").And.EndWith(":300"));
            Assert.That(CanonicalValue.Format(true), Is.EqualTo("true"));
        });
    }

    [TestCase("{\"b\": 1, \"a\": [1, 2.50, {\"z\": null, \"y\": \"é\\n\"}]}", "{\"a\":[1,2.50,{\"y\":\"é\\n\",\"z\":null}],\"b\":1}")]
    [TestCase("{\"a\": 1, \"a\": 2}", "{\"a\":2}")]
    [TestCase(" [ true , false ] ", "[true,false]")]
    [TestCase("\"text\"", "\"text\"")]
    [TestCase("not json", "not json")]
    public void JsonIsCanonical(string text, string expected) =>
        Assert.That(CanonicalValue.FormatJson(text), Is.EqualTo(expected));

    [TestCase("12.30", "12.3")]
    [TestCase("5.00", "5")]
    [TestCase("5", "5")]
    [TestCase("-0.00", "0")]
    [TestCase("0.000", "0")]
    [TestCase("100", "100")]
    [TestCase("-12.500", "-12.5")]
    [TestCase("1.000000000000000000000000000000000000001000", "1.000000000000000000000000000000000000001")]
    public void Decimal_text_loses_trailing_zeros_but_no_digits(string text, string expected) =>
        Assert.That(CanonicalValue.NormalizeNumericText(text), Is.EqualTo(expected));
}
