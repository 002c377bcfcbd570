// Theory data names enum members as configs spell them ("lstm", "sinusoidal"); this reads them.
namespace Attend.Tests;

internal static class Names
{
    /// <summary>The member of <typeparamref name="T"/> that a config spells <paramref name="name"/>.</summary>
    public static T Of<T>(string name) where T : struct, Enum => Enum.Parse<T>(name.Replace("_", ""), ignoreCase: true);
}
