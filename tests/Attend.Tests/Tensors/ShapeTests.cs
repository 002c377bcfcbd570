// Shape.IsTrailingOf, the one test of "these values repeat over that layout" used by broadcasting and masking.
using Attend.Tensors;

namespace Attend.Tests.Tensors;

public class ShapeTests
{
    [Theory]
    [InlineData(new[] { 4 }, new[] { 2, 3, 4 }, true)]
    [InlineData(new[] { 3, 4 }, new[] { 2, 3, 4 }, true)]
    [InlineData(new[] { 1, 1, 3, 4 }, new[] { 2, 3, 4 }, true)]    // leading 1s are ignored, even past the rank
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 3, 4 }, true)]
    [InlineData(new[] { 3 }, new[] { 2, 3, 4 }, false)]
    [InlineData(new[] { 3, 1 }, new[] { 2, 3, 4 }, false)]          // a broadcast inner 1 is not trailing
    [InlineData(new[] { 5, 2, 3, 4 }, new[] { 2, 3, 4 }, false)]
    [InlineData(new[] { 1, 1 }, new[] { 2, 3 }, true)]              // all 1s: a scalar, trailing of anything
    [InlineData(new int[0], new[] { 2, 3 }, true)]
    [InlineData(new[] { 0 }, new[] { 2, 0 }, true)]
    public void IsTrailingOfMatchesTheDefinition(int[] s, int[] of, bool expected) =>
        Assert.Equal(expected, new Shape(s).IsTrailingOf(new Shape(of)));
}
