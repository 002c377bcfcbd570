// Enums in the JSON files users edit (run configs, model config.json) are written as snake_case strings
// (ScheduleKind.InverseSqrt ↔ "inverse_sqrt"), so a config reads the same as when these were strings. A value that
// names no member is an error that lists the members; numbers are refused.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Attend.Text;

/// <summary>Converts every enum to and from its snake_case member name.</summary>
public sealed class SnakeCaseEnums : JsonConverterFactory
{
    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    /// <inheritdoc/>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    /// <summary>The snake_case name of <paramref name="value"/>, as configs spell it.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The names of <typeparamref name="T"/>'s members, as configs spell them.</summary>
    public static string[] Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name).ToArray();

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => Name(v), v => v, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (text is not null && ByName.TryGetValue(text, out var value)) return value;
            string got = text is null ? reader.TokenType.ToString().ToLowerInvariant() : $"\"{text}\"";
            throw new JsonException($"expected one of {string.Join(", ", ByName.Keys)}, got {got}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));
    }
}
