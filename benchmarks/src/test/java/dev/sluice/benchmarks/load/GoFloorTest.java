package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.sluice.translate.ContentVersion;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the load tool hands floor (c): each type's resources and content version, as floors (a) and (b) serve them. */
class GoFloorTest {

  @Test
  void writtenState_holdsEachTypesResourcesInOrderWithItsContentVersion(@TempDir Path dir) throws Exception {
    FloorConfig config = FloorConfig.of(new Workload(3));
    Path file = dir.resolve("after.pb");
    GoFloor.write(config.after(), file);
    List<DiscoveryResponse> read = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (DiscoveryResponse r; (r = DiscoveryResponse.parseDelimitedFrom(in)) != null; ) {
        read.add(r);
      }
    }
    assertThat(read).extracting(DiscoveryResponse::getTypeUrl).containsExactlyElementsOf(FloorConfig.TYPES);
    for (DiscoveryResponse r : read) {
      var resources = FloorConfig.byName(config.after(), r.getTypeUrl()).values();
      assertThat(r.getResourcesList()).containsExactlyElementsOf(resources.stream().map(Any::pack).toList());
      assertThat(r.getVersionInfo()).isEqualTo(ContentVersion.of(resources));
    }
  }
}
