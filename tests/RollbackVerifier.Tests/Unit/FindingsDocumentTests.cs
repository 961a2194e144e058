using RollbackVerifier.Findings;
using RollbackVerifier.Tests.Support;

namespace RollbackVerifier.Tests.Unit;

public sealed class FindingsDocumentTests
{
    private static string Document => File.ReadAllText(Path.Combine(TestEngines.RepoRoot, "docs", "findings.md"));

    [Test]
    public void Catalog_table_in_docs_is_generated_from_the_codes()
    {
        var doc = Document;
        var begin = doc.IndexOf(FindingsDocument.BeginMarker, StringComparison.Ordinal) + FindingsDocument.BeginMarker.Length;
        var end = doc.IndexOf(FindingsDocument.EndMarker, StringComparison.Ordinal);
        Assert.That(doc[begin..end].Trim(), Is.EqualTo(FindingsDocument.RenderTable().Trim()), "regenerate the table in docs/findings.md from FindingsDocument.RenderTable()");
    }

    [Test]
    public void Every_code_has_a_section()
    {
        var doc = Document;
        Assert.Multiple(() =>
        {
            foreach (var code in FindingCodes.All)
            {
                Assert.That(doc, Does.Contain($"### {code.Code} {code.Name}\n"), code.Code);
            }
        });
    }

    [Test]
    public void Codes_are_unique_and_well_formed()
    {
        Assert.That(FindingCodes.All.Select(c => c.Code), Is.Unique);
        Assert.That(FindingCodes.All.Select(c => c.Name), Is.Unique);
        Assert.That(FindingCodes.All.Select(c => c.Code), Has.All.Match("^RV[1-4][0-9]{2}$"));
    }
}
