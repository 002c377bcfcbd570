// Enums in config files read and write as snake_case member names; anything else is an error that lists them.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Attend.Text.Tests;

public sealed class SnakeCaseEnumsTests
{
    [JsonConverter(typeof(SnakeCaseEnums))]
    public enum Schedule { InverseSqrt, Cosine, EpochDecay }

    private sealed record Holder(Schedule Value);

    [Theory]
    [InlineData(Schedule.InverseSqrt, "\"inverse_sqrt\"")]
    [InlineData(Schedule.Cosine, "\"cosine\"")]
    [InlineData(Schedule.EpochDecay, "\"epoch_decay\"")]
    public void MembersRoundTripAsTheirSnakeCaseNames(Schedule value, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(value));
        Assert.Equal(value, JsonSerializer.Deserialize<Schedule>(json));
        Assert.Equal(json.Trim('"'), SnakeCaseEnums.Name(value));
    }

    [Theory]
    [InlineData("{\"Value\": \"InverseSqrt\"}", "got \"InverseSqrt\"")]
    [InlineData("{\"Value\": \"step\"}", "got \"step\"")]
    [InlineData("{\"Value\": 1}", "got number")]
    [InlineData("{\"Value\": null}", "got null")]
    public void AnythingElseIsRefusedWithTheNamesAndThePath(string json, string got)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>(json));
        Assert.Contains("expected one of inverse_sqrt, cosine, epoch_decay", e.Message);
        Assert.Contains(got, e.Message);
        Assert.Equal("$.Value", e.Path);
    }
}
