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
}
