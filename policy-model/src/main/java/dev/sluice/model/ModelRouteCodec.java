package dev.sluice.model;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads and writes ModelRoute documents as JSON or YAML. Reading is strict: unknown fields, wrong
 * types, fractional numbers for integers and duplicate keys are errors, and every unknown field of a
 * document is reported at once, each with its path.
 */
public final class ModelRouteCodec {

  /** The two textual forms of a document. */
  public enum Format {
    JSON,
    YAML
  }

  /**
   * The outcome of parsing: a route and no errors, or errors and possibly no route.
   *
   * @param route the parsed document, or null when it could not be read at all
   * @param errors what is wrong with the document's form (not its content: see the validator)
   */
  public record Parsed(ModelRoute route, List<FieldError> errors) {
    public Parsed {
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return route != null && errors.isEmpty();
    }
  }

  private static final ObjectMapper JSON = strict(JsonMapper.builder()).build();
  private static final ObjectMapper YAML =
      strict(YAMLMapper.builder())
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();

  private ModelRouteCodec() {}

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
    return builder
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  /** Parses a document; never throws for bad input. */
  public static Parsed parse(String text, Format format) {
    ObjectMapper mapper = format == Format.YAML ? YAML : JSON;
    List<FieldError> unknown = new ArrayList<>();
    try {
      ModelRoute route =
          mapper.readerFor(ModelRoute.class).withHandler(new UnknownFieldCollector(unknown)).readValue(text);
      if (route == null) {
        return new Parsed(null, List.of(new FieldError("(document)", "is empty")));
      }
      return new Parsed(route, unknown);
    } catch (JacksonException e) {
      List<FieldError> errors = new ArrayList<>(unknown);
      errors.add(toFieldError(e));
      return new Parsed(null, errors);
    }
  }

  /** Parses a document already read as a tree (used by merge-patch). */
  public static Parsed parse(JsonNode tree) {
    return parse(JSON.writeValueAsString(tree), Format.JSON);
  }

  /** Reads JSON into a tree, or throws {@link JacksonException} for malformed input. */
  public static JsonNode readTree(String json) {
    return JSON.readTree(json);
  }

  public static JsonNode toTree(ModelRoute route) {
    return JSON.valueToTree(route);
  }

  public static String toJson(ModelRoute route) {
    return JSON.writeValueAsString(route);
  }

  public static String toYaml(ModelRoute route) {
    return YAML.writeValueAsString(route);
  }

  private static FieldError toFieldError(JacksonException e) {
    String path = path(e.getPath());
    String message = e.getOriginalMessage();
    if (e instanceof StreamReadException) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
      return new FieldError(path.isEmpty() ? "(document)" : path, "is not well-formed: " + firstLine(message) + where);
    }
    return new FieldError(path.isEmpty() ? "(document)" : path, firstLine(message));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "could not be read";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  static String path(List<JacksonException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : refs) {
      if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getPropertyName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getPropertyName());
      }
    }
    return sb.toString();
  }

  /** Records every unknown field with its path and skips it, so that all are reported together. */
  private static final class UnknownFieldCollector extends DeserializationProblemHandler {
    private final List<FieldError> errors;

    UnknownFieldCollector(List<FieldError> errors) {
      this.errors = errors;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        ValueDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName) {
      errors.add(new FieldError(pointerToPath(unknownFieldPointer(ctxt.getParser(), propertyName)), "is not a known field"));
      p.skipChildren();
      return true;
    }
  }

  /**
   * The JSON pointer of an unknown field, read from the document's own parser, not from the one
   * handed to the handler: records are built through their constructors, so Jackson buffers their
   * properties and replays the unknown ones from a token buffer once the object has ended, and that
   * buffer's context names whatever property was read last ({@code /spec/tracing/foo} for
   * {@code spec.foo}). At that point the document's parser stands on the object's END_OBJECT, its
   * context pointing at the object itself. A class bound through setters would be handled inline,
   * with the parser on the field's value, whose context already names the field.
   */
  static String unknownFieldPointer(JsonParser document, String propertyName) {
    TokenStreamContext context = document.streamReadContext();
    JsonToken token = document.currentToken();
    if (token == JsonToken.END_OBJECT) {
      return context.pathAsPointer().toString() + "/" + propertyName.replace("~", "~0").replace("/", "~1");
    }
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && context.getParent() != null) {
      context = context.getParent();
    }
    return context.pathAsPointer().toString();
  }

  /** {@code /spec/versions/0/wieght} becomes {@code spec.versions[0].wieght}. */
  static String pointerToPath(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      String name = segment.replace("~1", "/").replace("~0", "~");
      if (name.matches("\\d+")) {
        sb.append('[').append(name).append(']');
      } else {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(name);
      }
    }
    return sb.toString();
  }
}
