using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoTcp.Tests.Portability
{
    /// <summary>
    /// Checks a compiled assembly against what nanoFramework 1.x runs (NANOFRAMEWORK.md): every external
    /// type and member must be in the API lists; no generics, multidimensional arrays, pointers or function
    /// pointers; none of the opcodes the interpreter lacks; per-type and per-assembly size limits.
    /// </summary>
    public sealed partial class PortabilityGate
    {
        /// <summary>Margin under the metadata processor's 64 KB limits (issue 2).</summary>
        public const int MaxIlBytes = 60 * 1024;
        public const int MaxUserStringBytes = 60 * 1024;
        public const int MaxMethodsPerType = 255;

        // Opcodes the nanoFramework interpreter does not implement (NANOFRAMEWORK.md), plus refanytype,
        // the third typed-reference opcode.
        private static readonly Dictionary<ushort, string> s_forbiddenOpcodes = new()
        {
            [0xFE0F] = "localloc", [0x29] = "calli", [0xFE17] = "cpblk", [0xFE18] = "initblk",
            [0x27] = "jmp", [0xFE00] = "arglist", [0xC6] = "mkrefany", [0xC2] = "refanyval", [0xFE1D] = "refanytype",
            // nf-interpreter src/CLR/Core/Interpreter.cpp, "Unsupported opcodes": also these two.
            [0xC3] = "ckfinite", [0xFE1E] = "readonly.",
        };

        // Attributes the C# compiler synthesizes. Compiled against nanoFramework's mscorlib it either embeds
        // them into the assembly itself (IsReadOnly, IsByRefLike) or leaves them out when mscorlib lacks them.
        private static readonly HashSet<string> s_compilerSynthesized = new(StringComparer.Ordinal)
        {
            "System.Runtime.CompilerServices.IsReadOnlyAttribute",
            "System.Runtime.CompilerServices.IsByRefLikeAttribute",
            "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
            "System.Runtime.CompilerServices.NullableAttribute",
            "System.Runtime.CompilerServices.NullableContextAttribute",
            "System.Runtime.CompilerServices.NullablePublicOnlyAttribute",
            "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
            "System.Runtime.CompilerServices.ScopedRefAttribute",
            "System.Runtime.CompilerServices.IsUnmanagedAttribute",
        };

        private readonly ApiCatalog _api;
        private readonly HashSet<string> _ownAssemblies;

        public PortabilityGate(ApiCatalog api, IEnumerable<string> ownAssemblies)
        {
            _api = api;
            _ownAssemblies = new HashSet<string>(ownAssemblies, StringComparer.Ordinal);
        }

        private readonly Dictionary<string, string[]> _subclassCache = new(StringComparer.Ordinal);

        /// <summary>The listed types that derive, in the host's own class library, from a host type that is
        /// not listed; null when there are none (then the missing type is simply missing).</summary>
        internal string[] ListedSubclassesOnHost(string hostType)
        {
            if (_subclassCache.TryGetValue(hostType, out string[] cached))
                return cached;
            Type host = Type.GetType(hostType);
            string[] result = null;
            if (host != null)
            {
                var found = _api.Types
                    .Select(t => (Name: t, Type: t.Contains('`') ? null : Type.GetType(t)))
                    .Where(t => t.Type != null && t.Type != host && host.IsAssignableFrom(t.Type))
                    .Select(t => t.Name)
                    .OrderBy(t => t, StringComparer.Ordinal)
                    .ToArray();
                if (found.Length > 0)
                    result = found;
            }
            _subclassCache[hostType] = result;
            return result;
        }

        public AssemblyReport Check(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            return Check(stream);
        }

        public AssemblyReport Check(Stream assembly)
        {
            using var pe = new PEReader(assembly);
            var walk = new Walk(this, pe);
            return walk.Run();
        }

        /// <summary>One pass over one assembly; the signature provider records what it meets at the current site.</summary>
        private sealed partial class Walk : ISignatureTypeProvider<string, object>
        {
            private readonly PortabilityGate _gate;
            private readonly PEReader _pe;
            private readonly MetadataReader _md;
            private readonly AssemblyReport _report;
            private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
            private string _site;

            public Walk(PortabilityGate gate, PEReader pe)
            {
                _gate = gate;
                _pe = pe;
                _md = pe.GetMetadataReader();
                _report = new AssemblyReport(_md.IsAssembly ? _md.GetString(_md.GetAssemblyDefinition().Name) : "(module)");
            }

            public AssemblyReport Run()
            {
                _report.UserStringBytes = _md.GetHeapSize(HeapIndex.UserString);
                _report.StringBytes = _md.GetHeapSize(HeapIndex.String);
                foreach (var typeHandle in _md.TypeDefinitions)
                    CheckType(typeHandle);
                if (_report.IlBytes > MaxIlBytes)
                    Add(Rule.AssemblyTooLarge, _report.Assembly, $"{_report.IlBytes} bytes of method-body IL (limit {MaxIlBytes})");
                if (_report.UserStringBytes > MaxUserStringBytes)
                    Add(Rule.AssemblyTooLarge, _report.Assembly, $"{_report.UserStringBytes} bytes of user strings (limit {MaxUserStringBytes})");
                CheckStringTable();
                return _report;
            }

            private void CheckType(TypeDefinitionHandle handle)
            {
                TypeDefinition type = _md.GetTypeDefinition(handle);
                string typeName = DefinitionName(handle);
                _report.TypeCount++;
                _site = typeName;
                if (type.GetGenericParameters().Count > 0)
                    Add(Rule.Generic, typeName, "generic type definition");
                if (!type.BaseType.IsNil)
                    CheckTypeHandle(type.BaseType);
                foreach (var impl in type.GetInterfaceImplementations())
                    CheckTypeHandle(_md.GetInterfaceImplementation(impl).Interface);
                CheckAttributes(type.GetCustomAttributes());

                foreach (var fieldHandle in type.GetFields())
                {
                    FieldDefinition field = _md.GetFieldDefinition(fieldHandle);
                    _site = typeName + "::" + _md.GetString(field.Name);
                    field.DecodeSignature(this, null);
                    CheckAttributes(field.GetCustomAttributes());
                }
                CheckFieldCounts(typeName, type);

                int methodCount = 0;
                foreach (var methodHandle in type.GetMethods())
                {
                    methodCount++;
                    CheckMethod(typeName, methodHandle);
                }
                _report.MethodCount += methodCount;
                if (methodCount > MaxMethodsPerType)
                    Add(Rule.TypeTooLarge, typeName, $"{methodCount} methods (limit {MaxMethodsPerType})");
            }

            private void CheckMethod(string typeName, MethodDefinitionHandle handle)
            {
                MethodDefinition method = _md.GetMethodDefinition(handle);
                string site = typeName + "::" + _md.GetString(method.Name);
                _site = site;
                if (method.GetGenericParameters().Count > 0)
                    Add(Rule.Generic, site, "generic method definition");
                var signature = method.DecodeSignature(this, null);
                if (signature.Header.CallingConvention == SignatureCallingConvention.VarArgs)
                    Add(Rule.Vararg, site, "varargs method");
                CheckAttributes(method.GetCustomAttributes());
                foreach (var parameterHandle in method.GetParameters())
                    CheckAttributes(_md.GetParameter(parameterHandle).GetCustomAttributes());
                if (method.RelativeVirtualAddress == 0)
                    return;

                MethodBodyBlock body = _pe.GetMethodBody(method.RelativeVirtualAddress);
                int locals = 0;
                if (!body.LocalSignature.IsNil)
                    locals = _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null).Length;
                CheckMethodCounts(site, signature.ParameterTypes.Length + (signature.Header.IsInstance ? 1 : 0), locals, body);
                _inStaticConstructor = _md.GetString(method.Name) == ".cctor";
                _currentType = typeName;
                byte[] il = body.GetILBytes();
                _report.IlBytes += il.Length;
                if (il.Length > _report.LargestMethodBytes)
                {
                    _report.LargestMethodBytes = il.Length;
                    _report.LargestMethod = site;
                }
                ScanIl(site, il);
            }

            private void ScanIl(string site, byte[] il)
            {
                int pc = 0;
                while (pc < il.Length)
                {
                    ushort code = il[pc++];
                    if (code == 0xFE && pc < il.Length)
                        code = (ushort)(0xFE00 | il[pc++]);
                    if (s_forbiddenOpcodes.TryGetValue(code, out string opName))
                        Add(Rule.ForbiddenOpcode, site, opName);
                    CheckInstruction(site, code, il, pc);
                    int operand = IlOpcodes.OperandSize(code, il, pc);
                    if (IlOpcodes.HasToken(code) && pc + 4 <= il.Length)
                    {
                        int token = BitConverter.ToInt32(il, pc);
                        _site = site;
                        CheckToken(MetadataTokens.EntityHandle(token));
                    }
                    pc += operand;
                }
            }

            private void CheckToken(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference:
                    case HandleKind.TypeDefinition:
                    case HandleKind.TypeSpecification:
                        CheckTypeHandle(handle);
                        break;
                    case HandleKind.MemberReference:
                        CheckMemberReference((MemberReferenceHandle)handle);
                        break;
                    case HandleKind.MethodSpecification:
                        var spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                        Add(Rule.Generic, _site, "generic method instantiation of " + MethodName(spec.Method));
                        CheckToken(spec.Method);
                        break;
                }
            }

            private void CheckMemberReference(MemberReferenceHandle handle)
            {
                MemberReference member = _md.GetMemberReference(handle);
                string name = _md.GetString(member.Name);
                string parent = null;
                bool external = false;
                string[] viaSubclasses = null;
                switch (member.Parent.Kind)
                {
                    case HandleKind.TypeReference:
                        var typeRef = (TypeReferenceHandle)member.Parent;
                        parent = ReferenceName(typeRef);
                        external = IsExternal(typeRef);
                        if (external && !_gate._api.HasType(parent) && name != ".ctor")
                            viaSubclasses = _gate.ListedSubclassesOnHost(parent);
                        if (viaSubclasses == null)
                            CheckTypeHandle(member.Parent);
                        break;
                    case HandleKind.TypeSpecification:
                        CheckTypeHandle(member.Parent);
                        break;
                    case HandleKind.MethodDefinition:
                        Add(Rule.Vararg, _site, "varargs call to " + name);
                        break;
                    case HandleKind.ModuleReference:
                        Add(Rule.MissingApi, _site, "module-level member " + name);
                        return;
                }

                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    var signature = member.DecodeMethodSignature(this, null);
                    if (signature.Header.CallingConvention == SignatureCallingConvention.VarArgs)
                        Add(Rule.Vararg, _site, "varargs call to " + name);
                    string key = name + "(" + string.Join(",", signature.ParameterTypes) + ")";
                    if (viaSubclasses != null)
                    {
                        // The host declares it on a base class nanoFramework lacks (EventWaitHandle::Set for
                        // AutoResetEvent.Set): fine when every listed subclass declares it there.
                        if (!viaSubclasses.All(t => _gate._api.HasMethod(t, key)))
                            Add(Rule.MissingApi, _site, $"method {parent}::{key} is not in the nanoFramework API (nor on {string.Join(", ", viaSubclasses)})");
                    }
                    else if (external && _gate._api.HasType(parent) && !_gate._api.HasMethod(parent, key))
                        Add(Rule.MissingApi, _site, $"method {parent}::{key} is not in the nanoFramework API");
                }
                else
                {
                    member.DecodeFieldSignature(this, null);
                    if (viaSubclasses != null)
                        Add(Rule.MissingApi, _site, $"field {parent}::{name} is not in the nanoFramework API");
                    else if (external && _gate._api.HasType(parent) && !_gate._api.HasField(parent, name))
                        Add(Rule.MissingApi, _site, $"field {parent}::{name} is not in the nanoFramework API");
                }
            }

            private void CheckTypeHandle(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference:
                        GetTypeFromReference(_md, (TypeReferenceHandle)handle, 0);
                        break;
                    case HandleKind.TypeSpecification:
                        _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                        break;
                }
            }

            private void CheckAttributes(CustomAttributeHandleCollection attributes)
            {
                foreach (var attributeHandle in attributes)
                {
                    CustomAttribute attribute = _md.GetCustomAttribute(attributeHandle);
                    if (attribute.Constructor.Kind != HandleKind.MemberReference)
                        continue; // defined in this assembly
                    var parent = _md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                    if (parent.Kind == HandleKind.TypeReference && s_compilerSynthesized.Contains(ReferenceName((TypeReferenceHandle)parent)))
                        continue;
                    CheckMemberReference((MemberReferenceHandle)attribute.Constructor);
                }
            }

            private bool IsExternal(TypeReferenceHandle handle)
            {
                TypeReference typeRef = _md.GetTypeReference(handle);
                while (typeRef.ResolutionScope.Kind == HandleKind.TypeReference)
                    typeRef = _md.GetTypeReference((TypeReferenceHandle)typeRef.ResolutionScope);
                if (typeRef.ResolutionScope.Kind != HandleKind.AssemblyReference)
                    return false;
                var assembly = _md.GetAssemblyReference((AssemblyReferenceHandle)typeRef.ResolutionScope);
                return !_gate._ownAssemblies.Contains(_md.GetString(assembly.Name));
            }

            private string ReferenceName(TypeReferenceHandle handle)
            {
                TypeReference typeRef = _md.GetTypeReference(handle);
                string name = _md.GetString(typeRef.Name);
                if (typeRef.ResolutionScope.Kind == HandleKind.TypeReference)
                    return ReferenceName((TypeReferenceHandle)typeRef.ResolutionScope) + "+" + name;
                string ns = _md.GetString(typeRef.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            private string DefinitionName(TypeDefinitionHandle handle)
            {
                TypeDefinition type = _md.GetTypeDefinition(handle);
                string name = _md.GetString(type.Name);
                TypeDefinitionHandle declaring = type.GetDeclaringType();
                if (!declaring.IsNil)
                    return DefinitionName(declaring) + "+" + name;
                string ns = _md.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            private string MethodName(EntityHandle method)
            {
                if (method.Kind == HandleKind.MethodDefinition)
                    return _md.GetString(_md.GetMethodDefinition((MethodDefinitionHandle)method).Name);
                if (method.Kind == HandleKind.MemberReference)
                    return _md.GetString(_md.GetMemberReference((MemberReferenceHandle)method).Name);
                return "?";
            }

            private void Add(Rule rule, string site, string detail)
            {
                string key = rule + "|" + site + "|" + detail;
                if (_seen.Add(key))
                    _report.Violations.Add(new Violation(rule, site, detail));
            }

            // ISignatureTypeProvider: formats types as the API lists do, and records what nanoFramework lacks.
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
            {
                PrimitiveTypeCode.Boolean => "System.Boolean", PrimitiveTypeCode.Byte => "System.Byte",
                PrimitiveTypeCode.SByte => "System.SByte", PrimitiveTypeCode.Char => "System.Char",
                PrimitiveTypeCode.Int16 => "System.Int16", PrimitiveTypeCode.UInt16 => "System.UInt16",
                PrimitiveTypeCode.Int32 => "System.Int32", PrimitiveTypeCode.UInt32 => "System.UInt32",
                PrimitiveTypeCode.Int64 => "System.Int64", PrimitiveTypeCode.UInt64 => "System.UInt64",
                PrimitiveTypeCode.Single => "System.Single", PrimitiveTypeCode.Double => "System.Double",
                PrimitiveTypeCode.IntPtr => "System.IntPtr", PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
                PrimitiveTypeCode.Object => "System.Object", PrimitiveTypeCode.String => "System.String",
                PrimitiveTypeCode.TypedReference => "System.TypedReference", PrimitiveTypeCode.Void => "System.Void",
                _ => typeCode.ToString(),
            };

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => DefinitionName(handle);

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                string name = ReferenceName(handle);
                if (IsExternal(handle) && !_gate._api.HasType(name) && !s_compilerSynthesized.Contains(name))
                    Add(Rule.MissingApi, _site, $"type {name} is not in the nanoFramework API");
                return name;
            }

            public string GetTypeFromSpecification(MetadataReader reader, object context, TypeSpecificationHandle handle, byte rawTypeKind)
                => reader.GetTypeSpecification(handle).DecodeSignature(this, context);

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetArrayType(string elementType, ArrayShape shape)
            {
                Add(Rule.MultidimensionalArray, _site, $"{elementType}[{new string(',', Math.Max(0, shape.Rank - 1))}]");
                return elementType + "[" + new string(',', shape.Rank - 1) + "]";
            }

            public string GetByReferenceType(string elementType) => elementType + "&";

            public string GetPointerType(string elementType)
            {
                Add(Rule.Pointer, _site, elementType + "*");
                return elementType + "*";
            }

            public string GetFunctionPointerType(MethodSignature<string> signature)
            {
                Add(Rule.FunctionPointer, _site, "function pointer returning " + signature.ReturnType);
                return "method " + signature.ReturnType + "*(" + string.Join(",", signature.ParameterTypes) + ")";
            }

            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
            {
                Add(Rule.Generic, _site, $"generic instantiation {genericType}<{string.Join(",", typeArguments)}>");
                return genericType + "<" + string.Join(",", typeArguments) + ">";
            }

            public string GetGenericMethodParameter(object context, int index) => "!!" + index;

            public string GetGenericTypeParameter(object context, int index) => "!" + index;

            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

            public string GetPinnedType(string elementType)
            {
                Add(Rule.Pointer, _site, "pinned local " + elementType);
                return elementType;
            }
        }
    }

    public enum Rule
    {
        MissingApi,
        Generic,
        MultidimensionalArray,
        Pointer,
        FunctionPointer,
        ForbiddenOpcode,
        Vararg,
        TypeTooLarge,
        AssemblyTooLarge,
        /// <summary>A count the metadata processor writes in one byte is above 255.</summary>
        CountOverflow,
        /// <summary>The assembly's string table reaches the offsets the interpreter reads as its own strings.</summary>
        StringTableOverflow,
        /// <summary>A static constructor reads another type's statics (they run once each, at start-up, in table order).</summary>
        StaticConstructorOrder,
        /// <summary>An array initialiser (RuntimeHelpers.InitializeArray) of a non-primitive element type.</summary>
        ArrayInitializer,
    }

    public sealed record Violation(Rule Rule, string Site, string Detail)
    {
        public override string ToString() => $"{Site}: {Rule}: {Detail}";
    }

    public sealed class AssemblyReport
    {
        public AssemblyReport(string assembly) => Assembly = assembly;

        public string Assembly { get; }
        public int IlBytes { get; set; }
        public int UserStringBytes { get; set; }
        public int StringBytes { get; set; }
        public long StringTableBytes { get; set; }
        public int TypeCount { get; set; }
        public int MethodCount { get; set; }
        public string LargestMethod { get; set; } = "-";
        public int LargestMethodBytes { get; set; }
        public List<Violation> Violations { get; } = new();

        public bool Passed => Violations.Count == 0;

        public string Summary() =>
            $"{Assembly}: IL {IlBytes} B, user strings {UserStringBytes} B, names {StringBytes} B, device string table <= {StringTableBytes} B, {TypeCount} types, " +
            $"{MethodCount} methods, largest {LargestMethod} ({LargestMethodBytes} B IL), {Violations.Count} violations";

        public string Format() =>
            Summary() + string.Concat(Violations.Select(v => Environment.NewLine + "  " + v));
    }
}
