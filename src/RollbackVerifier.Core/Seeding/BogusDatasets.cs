using System.Globalization;
using System.Reflection;
using Bogus;

namespace RollbackVerifier.Seeding;

/// <summary>
/// Resolves a Bogus dataset method by name (<c>internet.email</c>, <c>commerce.productName</c>, <c>address.zipCode</c>) into
/// a generator, for scenario overrides. Any public method of a <see cref="Faker"/> dataset whose parameters are all
/// optional can be named; names are case-insensitive.
/// </summary>
public static class BogusDatasets
{
    /// <summary>Finds the dataset method; <paramref name="problem"/> explains a failure and lists what exists.</summary>
    public static bool TryResolve(string name, out Func<Faker, object?> generator, out string problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        generator = _ => null;
        var parts = name.Split('.', StringSplitOptions.TrimEntries);
        var datasets = typeof(Faker).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => typeof(DataSet).IsAssignableFrom(p.PropertyType) || p.PropertyType == typeof(Randomizer))
            .ToList();
        if (parts.Length != 2)
        {
            problem = $"'{name}' is not of the form dataset.method; datasets: {Names(datasets.Select(d => d.Name))}";
            return false;
        }

        var dataset = datasets.FirstOrDefault(p => string.Equals(p.Name, parts[0], StringComparison.OrdinalIgnoreCase));
        if (dataset is null)
        {
            problem = $"unknown Bogus dataset '{parts[0]}'; datasets: {Names(datasets.Select(d => d.Name))}";
            return false;
        }

        var methods = dataset.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.ReturnType != typeof(void) && !m.IsGenericMethodDefinition && m.DeclaringType != typeof(object) && m.GetParameters().All(p => p.IsOptional))
            .ToList();
        var method = methods.Where(m => string.Equals(m.Name, parts[1], StringComparison.OrdinalIgnoreCase)).OrderBy(m => m.GetParameters().Length).FirstOrDefault();
        if (method is null)
        {
            problem = $"Bogus dataset '{dataset.Name}' has no method '{parts[1]}' callable without arguments; methods: {Names(methods.Select(m => m.Name))}";
            return false;
        }

        var arguments = method.GetParameters().Select(p => p.DefaultValue is DBNull ? Type.Missing : p.DefaultValue).ToArray();
        var property = dataset;
        generator = faker => Simplify(method.Invoke(property.GetValue(faker), arguments));
        problem = string.Empty;
        return true;
    }

    /// <summary>Bogus results as seeder values: numbers and dates normalized, enums and other objects as text.</summary>
    private static object? Simplify(object? value) =>
        SeedValues.Normalize(value) is var normalized && normalized is null or string or bool or decimal or double or long or DateTime or Guid or byte[]
            ? normalized
            : Convert.ToString(normalized, CultureInfo.InvariantCulture);

    private static string Names(IEnumerable<string> names) =>
        string.Join(", ", names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
}
