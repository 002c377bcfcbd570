// Switch for graph recording: `using var _ = GradMode.Off();` makes ops skip building backward closures (inference).
namespace Attend.Autograd;

/// <summary>Whether ops record history for backward, per thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int _offDepth;

    /// <summary>True unless inside a <see cref="Off"/> scope on this thread.</summary>
    public static bool IsEnabled => _offDepth == 0;

    /// <summary>Disables recording until the returned scope is disposed.</summary>
    public static Scope Off()
    {
        _offDepth++;
        return new Scope();
    }

    /// <summary>Restores recording when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        public void Dispose() => _offDepth--;
    }
}
