package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Output types back to JSON Schema: Pydantic {@code BaseModel} classes (Python) and zod schemas (TypeScript).
 * Agent Builder's structured outputs are strict schemas (every property required, no additional properties), and
 * the export writes them as plain typed fields, so that is the shape produced here. What the export drops (an
 * enum written as {@code str}) cannot come back; the importer says so once per schema.
 */
final class AgentsSdkSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Map<String, AgentsSdkStmt.ClassDef> classes = new HashMap<>();
    private final Map<String, AgentsSdkExpr> zod = new HashMap<>();
    private final ImportReport.Builder report;

    AgentsSdkSchemas(ImportReport.Builder report) {
        this.report = report;
    }

    void addClass(AgentsSdkStmt.ClassDef c) {
        classes.put(c.name(), c);
    }

    void addZod(String name, AgentsSdkExpr schema) {
        zod.put(name, schema);
    }

    boolean isZod(AgentsSdkExpr e) {
        String root = root(e);
        return root != null && root.equals("z");
    }

    /** {@return whether {@code e} names a zod schema defined in the file} */
    boolean isZodName(AgentsSdkExpr e) {
        return e instanceof AgentsSdkExpr.Name n && zod.containsKey(n.id());
    }

    /** {@return the JSON Schema an {@code output_type}/{@code outputType} names, or null (reported)} */
    ObjectNode outputSchema(AgentsSdkExpr type) {
        if (type instanceof AgentsSdkExpr.Name n && classes.containsKey(n.id())) return pydantic(classes.get(n.id()));
        if (type instanceof AgentsSdkExpr.Name n && zod.containsKey(n.id())) return zodSchema(zod.get(n.id()));
        if (isZod(type)) return zodSchema(type);
        report.error("line " + type.line(), "the output type `" + AgentsSdkExpr.show(type)
                + "` is neither a Pydantic model nor a zod schema defined in this file", "define it in the file, or "
                + "set the agent's output_schema by hand.");
        return null;
    }

    // --- Pydantic -----------------------------------------------------------------------------------------------

    private ObjectNode pydantic(AgentsSdkStmt.ClassDef c) {
        ObjectNode schema = F.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (AgentsSdkStmt s : c.body()) {
            if (s instanceof AgentsSdkStmt.Assign a && a.target() instanceof AgentsSdkExpr.Name field && a.type() != null) {
                ObjectNode prop = pythonType(a.type());
                boolean hasDefault = a.value() != null;
                if (a.value() instanceof Call f && "Field".equals(f.calleeName())) {
                    AgentsSdkExpr d = f.kwargs().get("description");
                    if (d instanceof AgentsSdkExpr.Str ds && ds.text() != null) prop.put("description", ds.text());
                    // Field(..., description=…) is required; Field("x") or Field(default=…) is not.
                    hasDefault = f.kwargs().containsKey("default") || (!f.args().isEmpty()
                            && !(f.args().getFirst() instanceof AgentsSdkExpr.Name e && e.id().equals("Ellipsis")));
                }
                props.set(field.id(), prop);
                if (!hasDefault) required.add(field.id());
            } else if (!(s instanceof AgentsSdkStmt.Skip)) {
                report.warning("line " + s.line(), "this line of the model `" + c.name() + "` is not a typed field and "
                        + "was left out of its schema", "check the imported output_schema.");
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    private ObjectNode pythonType(AgentsSdkExpr t) {
        if (t instanceof AgentsSdkExpr.Const c && c.value().equals("null")) return F.objectNode().put("type", "null");
        if (t instanceof AgentsSdkExpr.Name n) {
            return switch (n.id()) {
                case "str" -> F.objectNode().put("type", "string");
                case "float" -> F.objectNode().put("type", "number");
                case "int" -> F.objectNode().put("type", "integer");
                case "bool" -> F.objectNode().put("type", "boolean");
                case "dict" -> F.objectNode().put("type", "object");
                case "list" -> F.objectNode().put("type", "array");
                case "Any" -> F.objectNode();
                default -> {
                    if (classes.containsKey(n.id())) yield pydantic(classes.get(n.id()));
                    report.warning("line " + t.line(), "the field type `" + n.id() + "` is not one the export writes; "
                            + "it became an unconstrained value", "give the field a type in the imported schema.");
                    yield F.objectNode();
                }
            };
        }
        if (t instanceof AgentsSdkExpr.Index i && i.target() instanceof AgentsSdkExpr.Name g) {
            List<AgentsSdkExpr> args = i.index() instanceof AgentsSdkExpr.ListLit l ? l.items() : List.of(i.index());
            switch (g.id()) {
                case "list", "List" -> {
                    ObjectNode s = F.objectNode().put("type", "array");
                    s.set("items", pythonType(args.getFirst()));
                    return s;
                }
                case "dict", "Dict" -> {
                    ObjectNode s = F.objectNode().put("type", "object");
                    if (args.size() == 2) s.set("additionalProperties", pythonType(args.get(1)));
                    return s;
                }
                case "Optional" -> {
                    return anyOf(pythonType(args.getFirst()), F.objectNode().put("type", "null"));
                }
                case "Literal" -> {
                    ObjectNode s = F.objectNode();
                    ArrayNode values = s.putArray("enum");
                    for (AgentsSdkExpr a : args) addLiteral(values, a);
                    if (!args.isEmpty() && args.getFirst() instanceof AgentsSdkExpr.Str) s.put("type", "string");
                    return s;
                }
                default -> { }
            }
        }
        report.warning("line " + t.line(), "the field type `" + AgentsSdkExpr.show(t) + "` is not one the export "
                + "writes; it became an unconstrained value", "give the field a type in the imported schema.");
        return F.objectNode();
    }

    private static ObjectNode anyOf(ObjectNode a, ObjectNode b) {
        ObjectNode s = F.objectNode();
        s.putArray("anyOf").add(a).add(b);
        return s;
    }

    private static void addLiteral(ArrayNode values, AgentsSdkExpr a) {
        switch (a) {
            case AgentsSdkExpr.Str s when s.text() != null -> values.add(s.text());
            case AgentsSdkExpr.Num n -> values.add(F.numberNode(Double.parseDouble(n.text())));
            case AgentsSdkExpr.Const c when !c.value().equals("null") -> values.add(Boolean.parseBoolean(c.value()));
            default -> values.addNull();
        }
    }

    // --- zod ----------------------------------------------------------------------------------------------------

    private ObjectNode zodSchema(AgentsSdkExpr e) {
        if (e instanceof AgentsSdkExpr.Name n && zod.containsKey(n.id())) return zodSchema(zod.get(n.id()));
        if (!(e instanceof Call c) || !(c.callee() instanceof AgentsSdkExpr.Attr at)) return unknownZod(e);
        String method = at.name();
        AgentsSdkExpr target = at.target();
        if (!(target instanceof AgentsSdkExpr.Name z && z.id().equals("z"))) {
            // A modifier on an inner schema: z.string().describe("…"), .optional(), .nullable(), .int() …
            ObjectNode inner = zodSchema(target);
            switch (method) {
                case "describe" -> {
                    if (!c.args().isEmpty() && c.args().getFirst() instanceof AgentsSdkExpr.Str s && s.text() != null) {
                        inner.put("description", s.text());
                    }
                }
                case "nullable" -> {
                    return anyOf(inner, F.objectNode().put("type", "null"));
                }
                case "int" -> inner.put("type", "integer");
                case "optional", "default" -> inner.put(OPTIONAL, true);
                case "min", "max", "length", "email", "url", "uuid", "regex", "nonempty", "positive", "nonnegative" -> { }
                default -> report.warning("line " + c.line(), "the zod modifier `." + method + "()` was not carried "
                        + "over to the JSON schema", "check the imported output_schema.");
            }
            return inner;
        }
        List<AgentsSdkExpr> args = c.args();
        return switch (method) {
            case "string" -> F.objectNode().put("type", "string");
            case "number" -> F.objectNode().put("type", "number");
            case "boolean" -> F.objectNode().put("type", "boolean");
            case "null" -> F.objectNode().put("type", "null");
            case "any", "unknown" -> F.objectNode();
            case "array" -> {
                ObjectNode s = F.objectNode().put("type", "array");
                s.set("items", args.isEmpty() ? F.objectNode() : zodSchema(args.getFirst()));
                yield s;
            }
            case "enum" -> {
                ObjectNode s = F.objectNode().put("type", "string");
                ArrayNode values = s.putArray("enum");
                if (!args.isEmpty() && args.getFirst() instanceof AgentsSdkExpr.ListLit l) l.items().forEach(v -> addLiteral(values, v));
                yield s;
            }
            case "literal" -> {
                ObjectNode s = F.objectNode();
                addLiteral(s.putArray("enum"), args.getFirst());
                yield s;
            }
            case "record" -> F.objectNode().put("type", "object");
            case "union" -> {
                ObjectNode s = F.objectNode();
                ArrayNode any = s.putArray("anyOf");
                if (!args.isEmpty() && args.getFirst() instanceof AgentsSdkExpr.ListLit l) l.items().forEach(v -> any.add(zodSchema(v)));
                yield s;
            }
            case "object" -> zodObject(c);
            default -> unknownZod(e);
        };
    }

    /** Marks a property that {@code .optional()} made not required; removed when the object is assembled. */
    private static final String OPTIONAL = "x-parley-optional";

    private ObjectNode zodObject(Call c) {
        ObjectNode schema = F.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = F.arrayNode();
        if (!c.args().isEmpty() && c.args().getFirst() instanceof AgentsSdkExpr.DictLit d) {
            for (var entry : d.byKey().entrySet()) {
                ObjectNode prop = zodSchema(entry.getValue());
                JsonNode optional = prop.remove(OPTIONAL);
                props.set(entry.getKey(), prop);
                if (optional == null) required.add(entry.getKey());
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    private ObjectNode unknownZod(AgentsSdkExpr e) {
        report.warning("line " + e.line(), "the schema `" + AgentsSdkExpr.show(e) + "` is not zod the export writes; "
                + "it became an unconstrained value", "give the field a type in the imported schema.");
        return F.objectNode();
    }

    private static String root(AgentsSdkExpr e) {
        return switch (e) {
            case AgentsSdkExpr.Name n -> n.id();
            case AgentsSdkExpr.Attr a -> root(a.target());
            case Call c -> root(c.callee());
            default -> null;
        };
    }

    /** {@return the parameters schema of a Python function tool, from its typed parameters} */
    ObjectNode parameters(List<AgentsSdkStmt.Param> params) {
        ObjectNode schema = F.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (AgentsSdkStmt.Param p : params) {
            props.set(p.name(), p.type() == null ? F.objectNode() : pythonType(p.type()));
            if (p.defaultValue() == null) required.add(p.name());
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /** {@return the JSON Schema of a zod parameters object} */
    ObjectNode zodParameters(AgentsSdkExpr e) {
        return zodSchema(e);
    }
}
