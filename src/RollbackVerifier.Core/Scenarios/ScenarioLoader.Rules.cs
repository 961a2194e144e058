using RollbackVerifier.Analysis;
using RollbackVerifier.Findings;
using YamlDotNet.RepresentationModel;

namespace RollbackVerifier.Scenarios;

/// <summary>scenario.yml keys of the static rules: <c>rules.disable</c> and <c>expect.absent</c>.</summary>
public static partial class ScenarioLoader
{
    internal sealed partial class Manifest
    {
        private readonly List<(string Pattern, YamlNode Node)> _absent = [];
        private readonly List<(DisabledRule Rule, YamlNode Node)> _disabled = [];

        public StaticRuleSettings Rules { get; private set; } = StaticRuleSettings.Default;

        private List<string> Absent => _absent.Select(a => a.Pattern).ToList();

        /// <summary>rules: { disable: [ { code: RV512, reason: ... } ] }.</summary>
        private void ParseRules(YamlNode node)
        {
            foreach (var (k, v) in Map(node, "rules").Children)
            {
                switch (Key(k, ["disable"], "rules."))
                {
                    case "disable":
                        foreach (var item in Seq(v, "rules.disable"))
                        {
                            string? code = null, reason = null;
                            foreach (var (dk, dv) in Map(item, "rules.disable item").Children)
                            {
                                switch (Key(dk, ["code", "reason"], "rules.disable."))
                                {
                                    case "code": code = StaticCode(dv); break;
                                    case "reason": reason = Text(dv, "rules.disable.reason"); break;
                                }
                            }

                            if (code is null)
                            {
                                throw Error(item, "a disabled rule needs a 'code'");
                            }

                            if (string.IsNullOrWhiteSpace(reason))
                            {
                                throw Error(item, $"disabled rule {code} needs a written 'reason'");
                            }

                            if (_disabled.Any(d => d.Rule.Code == code))
                            {
                                throw Error(item, $"rule {code} is disabled twice");
                            }

                            _disabled.Add((new DisabledRule(code, reason, $"{System.IO.Path.GetFileName(Path)}:{item.Start.Line}"), item));
                        }

                        break;
                }
            }

            Rules = new StaticRuleSettings(_disabled.Select(d => d.Rule).ToList());
        }

        /// <summary>expect.absent: [RV501, RV5xx].</summary>
        private void ParseAbsent(YamlNode node)
        {
            foreach (var item in Seq(node, "expect.absent"))
            {
                var text = Text(item, "expect.absent item");
                var isFamily = text.Contains('x', StringComparison.OrdinalIgnoreCase);
                if (!AbsentFindings.IsPattern(text) || (!isFamily && !FindingCodes.TryGet(text, out _)) || (isFamily && !FindingCodes.All.Any(c => AbsentFindings.Matches(text, c.Code))))
                {
                    throw Error(item, $"expect.absent: '{text}' is neither a finding code (RV501) nor a family of codes (RV5xx, RV50x)");
                }

                _absent.Add((text.ToUpperInvariant().Replace('X', 'x'), item));
            }
        }

        private string StaticCode(YamlNode node)
        {
            var code = Code(node);
            return StaticAnalyzer.IsStaticCode(code)
                ? code
                : throw Error(node, $"rules.disable: {code} is not a static rule; only the static rules ({StaticAnalyzer.Codes[0].Code}-{StaticAnalyzer.Codes[^1].Code}) can be disabled (accept other findings with expect.accepted)");
        }

        /// <summary>A code both required and forbidden, or forbidden or required while disabled, proves nothing: refuse it.</summary>
        private void CheckRulesAgainstExpectation()
        {
            foreach (var (pattern, node) in _absent)
            {
                if (Expect.Findings.FirstOrDefault(f => AbsentFindings.Matches(pattern, f)) is { } required)
                {
                    throw Error(node, $"expect.absent: {pattern} forbids {required}, which expect.findings requires");
                }

                if (_disabled.FirstOrDefault(d => AbsentFindings.Matches(pattern, d.Rule.Code)) is { Rule: { } off })
                {
                    throw Error(node, $"expect.absent: {pattern} includes {off.Code}, which rules.disable turns off, so its absence would prove nothing");
                }
            }

            foreach (var (rule, node) in _disabled)
            {
                if (Expect.Findings.Contains(rule.Code))
                {
                    throw Error(node, $"rules.disable: {rule.Code} is required by expect.findings; a disabled rule reports nothing");
                }
            }

        }
    }
}
