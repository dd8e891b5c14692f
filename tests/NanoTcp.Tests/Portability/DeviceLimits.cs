using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;

namespace NanoTcp.Tests.Portability
{
    /// <summary>
    /// The limits the device itself enforces, each read from the converter or the interpreter (issue 11):
    /// - one-byte counts, nanoframework/metadata-processor v3.0.100: static and instance fields per type
    ///   (MetadataProcessor.Shared/Tables/nanoTypeDefinitionTable.cs, WriteByte of staticFieldsCount and
    ///   instanceFieldsCount), arguments with `this`, locals and the evaluation stack depth
    ///   (Tables/nanoMethodDefinitionTable.cs), exception clauses and switch targets (Mono.Cecil/CodeWriter.cs);
    /// - the string table: nf-interpreter src/CLR/Core/StringTable.cpp, CLR_RT_Assembly::GetString reads an
    ///   offset at or above 0xFFFF - c_CLR_StringTable_Size (860, src/CLR/Core/StringTableData.cpp) as one of
    ///   its built-in strings; the converter's table (Tables/nanoStringTable.cs) holds each distinct name and
    ///   literal once, UTF-8 with a terminating zero;
    /// - static constructors: nf-interpreter src/CLR/Core/Execution.cpp, SpawnStaticConstructor runs every
    ///   .cctor of an assembly once, at start-up, in method-table order (FindNextStaticConstructor), not at
    ///   first use, so a .cctor that reads another type's statics may see them unset;
    /// - array initialisers: nf-interpreter src/CLR/CorLib/corlib_native_System_Runtime_CompilerServices_RuntimeHelpers.cpp
    ///   copies the blob with the array's element size and refuses reference elements; only primitive element
    ///   types are safe (the converter stores enums by their underlying type, not their declared one).
    /// </summary>
    public sealed partial class PortabilityGate
    {
        public const int MaxOneByteCount = 255;

        /// <summary>Offsets from here up are the interpreter's built-in strings (0xFFFF - 860).</summary>
        public const int StringTableLimit = 0xFFFF - 860;

        private static readonly HashSet<string> s_primitiveElementTypes = new(StringComparer.Ordinal)
        {
            "System.Boolean", "System.Char", "System.SByte", "System.Byte", "System.Int16", "System.UInt16",
            "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double",
        };

        private sealed partial class Walk
        {
            private bool _inStaticConstructor;
            private string _currentType;
            private string _lastNewArrayElement;

            private void CheckFieldCounts(string typeName, TypeDefinition type)
            {
                int statics = 0, instances = 0;
                foreach (var handle in type.GetFields())
                {
                    FieldAttributes attributes = _md.GetFieldDefinition(handle).Attributes;
                    if ((attributes & FieldAttributes.Literal) != 0)
                        continue; // a const is not a field on the device: its uses are inlined
                    if ((attributes & FieldAttributes.Static) != 0) statics++;
                    else instances++;
                }
                if (statics > MaxOneByteCount)
                    Add(Rule.CountOverflow, typeName, $"{statics} static fields (limit {MaxOneByteCount})");
                if (instances > MaxOneByteCount)
                    Add(Rule.CountOverflow, typeName, $"{instances} instance fields (limit {MaxOneByteCount})");
            }

            private void CheckMethodCounts(string site, int arguments, int locals, MethodBodyBlock body)
            {
                if (arguments > MaxOneByteCount)
                    Add(Rule.CountOverflow, site, $"{arguments} arguments with this (limit {MaxOneByteCount})");
                if (locals > MaxOneByteCount)
                    Add(Rule.CountOverflow, site, $"{locals} locals (limit {MaxOneByteCount})");
                if (body.MaxStack > MaxOneByteCount)
                    Add(Rule.CountOverflow, site, $"evaluation stack of {body.MaxStack} (limit {MaxOneByteCount})");
                if (body.ExceptionRegions.Length > MaxOneByteCount)
                    Add(Rule.CountOverflow, site, $"{body.ExceptionRegions.Length} exception clauses (limit {MaxOneByteCount})");
            }

            /// <summary>Per instruction: switch targets, array initialisers, static reads in a .cctor.</summary>
            private void CheckInstruction(string site, ushort code, byte[] il, int pc)
            {
                if (pc + 4 > il.Length)
                    return;
                int operand = BitConverter.ToInt32(il, pc);
                switch (code)
                {
                    case 0x45: // switch
                        if (operand > MaxOneByteCount)
                            Add(Rule.CountOverflow, site, $"switch with {operand} targets (limit {MaxOneByteCount})");
                        break;
                    case 0x8D: // newarr
                        _lastNewArrayElement = TokenTypeName(MetadataTokens.EntityHandle(operand));
                        break;
                    case 0x28: // call
                        if (IsInitializeArray(MetadataTokens.EntityHandle(operand)) && _lastNewArrayElement != null
                            && !s_primitiveElementTypes.Contains(_lastNewArrayElement))
                            Add(Rule.ArrayInitializer, site, $"array initialiser of {_lastNewArrayElement}[] (primitive element types only)");
                        break;
                    case 0x7E: // ldsfld
                    case 0x7F: // ldsflda
                        if (_inStaticConstructor)
                        {
                            string owner = FieldOwner(MetadataTokens.EntityHandle(operand));
                            if (owner != null && owner != _currentType)
                                Add(Rule.StaticConstructorOrder, site, $"static constructor reads {owner}'s statics, which may not be set yet");
                        }
                        break;
                }
            }

            private string TokenTypeName(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference: return ReferenceName((TypeReferenceHandle)handle);
                    case HandleKind.TypeDefinition: return DefinitionName((TypeDefinitionHandle)handle);
                    default: return "(type specification)";
                }
            }

            private bool IsInitializeArray(EntityHandle handle)
            {
                if (handle.Kind != HandleKind.MemberReference)
                    return false;
                MemberReference member = _md.GetMemberReference((MemberReferenceHandle)handle);
                return _md.GetString(member.Name) == "InitializeArray" && member.Parent.Kind == HandleKind.TypeReference
                    && ReferenceName((TypeReferenceHandle)member.Parent) == "System.Runtime.CompilerServices.RuntimeHelpers";
            }

            private string FieldOwner(EntityHandle handle)
            {
                if (handle.Kind == HandleKind.FieldDefinition)
                    return DefinitionName(_md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                if (handle.Kind == HandleKind.MemberReference)
                {
                    EntityHandle parent = _md.GetMemberReference((MemberReferenceHandle)handle).Parent;
                    return parent.Kind == HandleKind.TypeReference ? ReferenceName((TypeReferenceHandle)parent) : null;
                }
                return null;
            }

            /// <summary>An upper bound of the converter's string table: every distinct name of a type, field, method
            /// or member reference, every namespace, and every literal, UTF-8 plus a terminating zero.</summary>
            private void CheckStringTable()
            {
                var strings = new HashSet<string>(StringComparer.Ordinal);
                foreach (var h in _md.TypeDefinitions)
                {
                    TypeDefinition t = _md.GetTypeDefinition(h);
                    strings.Add(_md.GetString(t.Name));
                    strings.Add(_md.GetString(t.Namespace));
                }
                foreach (var h in _md.TypeReferences)
                {
                    TypeReference t = _md.GetTypeReference(h);
                    strings.Add(_md.GetString(t.Name));
                    strings.Add(_md.GetString(t.Namespace));
                }
                foreach (var h in _md.FieldDefinitions) strings.Add(_md.GetString(_md.GetFieldDefinition(h).Name));
                foreach (var h in _md.MethodDefinitions) strings.Add(_md.GetString(_md.GetMethodDefinition(h).Name));
                foreach (var h in _md.MemberReferences) strings.Add(_md.GetString(_md.GetMemberReference(h).Name));
                UserStringHandle us = MetadataTokens.UserStringHandle(1);
                while (!us.IsNil && MetadataTokens.GetHeapOffset(us) < _md.GetHeapSize(HeapIndex.UserString))
                {
                    strings.Add(_md.GetUserString(us));
                    us = _md.GetNextHandle(us);
                }
                long bytes = 0;
                foreach (string s in strings)
                    bytes += Encoding.UTF8.GetByteCount(s) + 1;
                _report.StringTableBytes = bytes;
                if (bytes >= StringTableLimit)
                    Add(Rule.StringTableOverflow, _report.Assembly,
                        $"string table of about {bytes} bytes reaches 0xFFFF-860 = {StringTableLimit}, where the interpreter reads its own built-in strings");
            }
        }
    }
}
