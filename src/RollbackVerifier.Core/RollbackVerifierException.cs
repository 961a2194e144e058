namespace RollbackVerifier;

/// <summary>Base of the exceptions RollbackVerifier throws for infrastructure and invalid input. Findings are never exceptions.</summary>
public class RollbackVerifierException : Exception
{
    public RollbackVerifierException() { }

    public RollbackVerifierException(string message) : base(message) { }

    public RollbackVerifierException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A scenario folder or file is invalid; carries the file and, where known, the 1-based line.</summary>
public class ScenarioDefinitionException : RollbackVerifierException
{
    public ScenarioDefinitionException() { }

    public ScenarioDefinitionException(string message) : base(message) { }

    public ScenarioDefinitionException(string message, Exception innerException) : base(message, innerException) { }

    public ScenarioDefinitionException(string file, int? line, string problem)
        : base(line is null ? $"{file}: {problem}" : $"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The offending file.</summary>
    public string? File { get; }

    /// <summary>The 1-based line in <see cref="File"/>, when known.</summary>
    public int? Line { get; }
}

/// <summary>A script cannot be split into statements (unterminated quote, comment or body).</summary>
public sealed class ScriptSplitException : ScenarioDefinitionException
{
    public ScriptSplitException() { }

    public ScriptSplitException(string message) : base(message) { }

    public ScriptSplitException(string message, Exception innerException) : base(message, innerException) { }

    public ScriptSplitException(string file, int line, string problem) : base(file, line, problem) { }
}

/// <summary>The database engine for a scenario cannot be provided (no Docker, server unreachable, image missing).</summary>
public sealed class EngineUnavailableException : RollbackVerifierException
{
    public EngineUnavailableException() { }

    public EngineUnavailableException(string message) : base(message) { }

    public EngineUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
