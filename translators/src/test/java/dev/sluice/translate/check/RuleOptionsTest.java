package dev.sluice.translate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.v3.Percent;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated Envoy descriptors carry PGV options already parsed, not as unknown fields. */
class RuleOptionsTest {

  static FieldRules rules(Descriptor type, String field) {
    FieldDescriptor descriptor = type.findFieldByName(field);
    assertThat(descriptor.getOptions().hasExtension(Validate.rules)).as(field).isTrue();
    return descriptor.getOptions().getExtension(Validate.rules);
  }

  @Test
  void generatedEnvoyDescriptors_exposeTheRulesAsParsedExtensions() {
    assertThat(rules(Cluster.getDescriptor(), "name").getString().getMinLen()).isEqualTo(1);
    assertThat(rules(Cluster.getDescriptor(), "connect_timeout").getDuration().hasGt()).isTrue();
    assertThat(rules(VirtualHost.getDescriptor(), "domains").getRepeated().getMinItems()).isEqualTo(1);
    FieldRules headerName = rules(HeaderMatcher.getDescriptor(), "name");
    assertThat(headerName.getString().getWellKnownRegex()).isEqualTo(KnownRegex.HTTP_HEADER_NAME);
    assertThat(headerName.getString().getStrict()).isFalse();
    FieldRules baseInterval = rules(RetryPolicy.RetryBackOff.getDescriptor(), "base_interval");
    assertThat(baseInterval.getDuration().getRequired()).isTrue();
    assertThat(baseInterval.getDuration().hasGt()).isTrue();
    FieldRules httpStatus = rules(FaultAbort.getDescriptor(), "http_status");
    assertThat(httpStatus.getUint32().getGte()).isEqualTo(200);
    assertThat(httpStatus.getUint32().getLt()).isEqualTo(600);
    assertThat(rules(Percent.getDescriptor(), "value").getDouble().getLte()).isEqualTo(100.0);
    assertThat(rules(OutlierDetection.getDescriptor(), "max_ejection_percent").getUint32().getLte()).isEqualTo(100);
    assertThat(rules(HttpConnectionManager.getDescriptor(), "stat_prefix").getString().getMinLen()).isEqualTo(1);
    assertThat(rules(RegexMatcher.getDescriptor(), "regex").getString().getMinLen()).isEqualTo(1);
  }

  @Test
  void clusterWeightName_hasNoRuleInThisApiVersion() {
    FieldDescriptor name = WeightedCluster.ClusterWeight.getDescriptor().findFieldByName("name");

    assertThat(name.getOptions().hasExtension(Validate.rules)).isFalse();
  }

  @Test
  void noRuleAnywhereUnderTheResourceTypes_isLeftAsAnUnknownField() {
    int parsed = 0;
    int unknown = 0;
    for (FileDescriptor file : filesUnder(Cluster.getDescriptor().getFile(), Listener.getDescriptor().getFile(),
        RouteConfiguration.getDescriptor().getFile(), HttpConnectionManager.getDescriptor().getFile())) {
      for (Descriptor type : file.getMessageTypes()) {
        int[] counts = count(type);
        parsed += counts[0];
        unknown += counts[1];
      }
    }
    assertThat(parsed).isGreaterThan(300);
    assertThat(unknown).isZero();
  }

  @Test
  void everyMessageTypeUnderTheResources_compilesItsRulesAndChecksItsDefaultWithoutMisfits() {
    int types = 0;
    for (FileDescriptor file : filesUnder(Cluster.getDescriptor().getFile(), Listener.getDescriptor().getFile(),
        RouteConfiguration.getDescriptor().getFile(), HttpConnectionManager.getDescriptor().getFile())) {
      for (Descriptor type : file.getMessageTypes()) {
        types++;
        List<Violation> found =
            ProtoRules.check(DynamicMessage.getDefaultInstance(type), TypeRegistry.getEmptyTypeRegistry());
        assertThat(found).as(type.getFullName()).noneMatch(v -> v.rule().startsWith("cannot apply"));
      }
    }
    assertThat(types).isGreaterThan(100);
  }

  @Test
  void descriptorBuiltWithoutValidatesRegistry_isReadByParsingTheOptionsAgain() throws Exception {
    FileDescriptor generated = Percent.getDescriptor().getFile();
    FileDescriptorProto proto = FileDescriptorProto.parseFrom(generated.toProto().toByteString());
    FileDescriptor rebuilt =
        FileDescriptor.buildFrom(proto, generated.getDependencies().toArray(FileDescriptor[]::new));
    Descriptor percent = rebuilt.findMessageTypeByName("Percent");
    FieldDescriptor value = percent.findFieldByName("value");

    assertThat(value.getOptions().hasExtension(Validate.rules)).isFalse();
    assertThat(value.getOptions().getUnknownFields().hasField(1071)).isTrue();
    assertThat(RuleOptions.field(value).getDouble().getLte()).isEqualTo(100.0);
    DynamicMessage tooMuch = DynamicMessage.newBuilder(percent).setField(value, 101.0).build();
    assertThat(ProtoRules.check(tooMuch, TypeRegistry.getEmptyTypeRegistry()))
        .containsExactly(new Violation("value", "must be inside range [0.0, 100.0] (double.gte, double.lte)"));
  }

  private static Set<FileDescriptor> filesUnder(FileDescriptor... roots) {
    Set<FileDescriptor> seen = new HashSet<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>(Set.of(roots));
    while (!todo.isEmpty()) {
      FileDescriptor file = todo.pop();
      if (seen.add(file)) {
        todo.addAll(file.getDependencies());
      }
    }
    return seen;
  }

  /** Fields with parsed rules and fields with rules left unknown, in {@code type} and its nested types. */
  private static int[] count(Descriptor type) {
    int[] counts = new int[2];
    for (FieldDescriptor field : type.getFields()) {
      if (field.getOptions().hasExtension(Validate.rules)) {
        counts[0]++;
      } else if (field.getOptions().getUnknownFields().hasField(1071)) {
        counts[1]++;
      }
    }
    for (Descriptor nested : type.getNestedTypes()) {
      int[] inner = count(nested);
      counts[0] += inner[0];
      counts[1] += inner[1];
    }
    return counts;
  }
}
