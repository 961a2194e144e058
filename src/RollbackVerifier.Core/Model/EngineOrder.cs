namespace RollbackVerifier.Model;

/// <summary>The position of an engine in <see cref="EngineKinds.All"/>, for sorting in report order.</summary>
internal static class EngineOrder
{
    public static int Of(EngineKind kind)
    {
        for (var i = 0; i < EngineKinds.All.Count; i++)
        {
            if (EngineKinds.All[i] == kind)
            {
                return i;
            }
        }

        return EngineKinds.All.Count;
    }
}
