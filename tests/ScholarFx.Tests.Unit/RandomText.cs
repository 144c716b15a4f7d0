using System.Text;

namespace ScholarFx.Tests.Unit;

/// <summary>Seeded random text for property tests: ordinary letters mixed with lone surrogates, noncharacters, pairs and marks.</summary>
internal static class RandomText
{
    private static readonly int[] Noncharacters = [0xFFFE, 0xFFFF, 0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF, 0x3FFFF];

    /// <summary>Up to <paramref name="maxLength"/> UTF-16 units, every kind of unit likely.</summary>
    public static string Next(Random random, int maxLength)
    {
        var text = new StringBuilder();
        var length = random.Next(1, maxLength + 1);
        while (text.Length < length)
        {
            switch (random.Next(9))
            {
                case 0:
                    text.Append((char)random.Next(0xD800, 0xE000));
                    break;
                case 1:
                    text.Append(char.ConvertFromUtf32(Noncharacters[random.Next(Noncharacters.Length)]));
                    break;
                case 2:
                    text.Append((char)random.Next(0, 0x10000));
                    break;
                case 3:
                    text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                case 4:
                    text.Append((char)random.Next(0x300, 0x370));
                    break;
                case 5:
                    text.Append(' ');
                    break;
                default:
                    text.Append((char)random.Next('a', 'z' + 1));
                    break;
            }
        }

        return text.ToString();
    }
}
