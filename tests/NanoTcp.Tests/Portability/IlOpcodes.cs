using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;

namespace NanoTcp.Tests.Portability
{
    /// <summary>Operand sizes of every IL opcode (ECMA-335 III), read from System.Reflection.Emit.OpCodes.</summary>
    internal static class IlOpcodes
    {
        private static readonly Dictionary<ushort, OperandType> s_operands = Build();

        private static Dictionary<ushort, OperandType> Build()
        {
            var table = new Dictionary<ushort, OperandType>();
            foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var opcode = (OpCode)field.GetValue(null);
                table[(ushort)opcode.Value] = opcode.OperandType;
            }
            return table;
        }

        public static bool HasToken(ushort code)
        {
            if (!s_operands.TryGetValue(code, out OperandType operand))
                return false;
            return operand is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok
                or OperandType.InlineType or OperandType.InlineSig;
        }

        /// <summary>Bytes of operand after the opcode at <paramref name="pc"/>; unknown opcodes have none.</summary>
        public static int OperandSize(ushort code, byte[] il, int pc)
        {
            if (!s_operands.TryGetValue(code, out OperandType operand))
                return 0;
            switch (operand)
            {
                case OperandType.InlineNone: return 0;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: return 1;
                case OperandType.InlineVar: return 2;
                case OperandType.InlineI8:
                case OperandType.InlineR: return 8;
                case OperandType.InlineSwitch:
                    int count = pc + 4 <= il.Length ? System.BitConverter.ToInt32(il, pc) : 0;
                    return 4 + 4 * count;
                default: return 4;
            }
        }
    }
}
