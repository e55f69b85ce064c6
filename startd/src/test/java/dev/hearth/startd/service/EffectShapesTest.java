package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.net.Dnat;
import dev.hearth.startd.net.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What effects write and return has exactly the JSON shape of patchdb.md §7.1: the SDK reads it
 * back (get-host-info returns a Host, and URLs are built from {@code addresses.available}).
 */
class EffectShapesTest {
  private final EffectsFixture f = new EffectsFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** The same JSON text: keys in the same order, numbers written alike. */
  private static void assertSame(JsonNode actual, JsonNode expected) {
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  private static JsonNode json(String s) throws Exception {
    return EffectsFixture.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void aBindingAndItsInterfaceAreStoredAsTheSpecShapesThem() throws Exception {
    f.call(
        "bind",
        "{'id':'main','internalPort':80,'preferredExternalPort':80,'stack':'at x',"
                .replace('\'', '"')
            + "\"addSsl\":{\"preferredExternalPort\":443,\"addXForwardedHeaders\":true,"
            + "\"scheme\":\"https\",\"alpn\":{\"specified\":[\"http/1.1\"]},\"auth\":null},"
            + "\"secure\":null}");
    f.call(
        "export-service-interface",
        "{'id':'ui','name':'Web UI','description':'d','masked':false,'type':'ui',"
                .replace('\'', '"')
            + "\"addressInfo\":{\"username\":null,\"hostId\":\"main\",\"internalPort\":80,"
            + "\"scheme\":\"http\",\"sslScheme\":\"https\",\"suffix\":\"\"}}");
    JsonNode expected =
        json(
            "{'main':{'bindings':{'80':{'enabled':true,"
                + "'options':{'preferredExternalPort':80,'addSsl':{'preferredExternalPort':443,"
                + "'addXForwardedHeaders':true,'alpn':{'specified':['http/1.1']},'auth':null},"
                + "'secure':null},"
                + "'net':{'assignedPort':50000,'assignedSslPort':null},"
                + "'addresses':{'enabled':[],'disabled':[],'guaAccess':{},"
                + "'available':[{'ssl':false,'public':false,'hostname':'192.168.1.10',"
                + "'port':50000,'metadata':{'kind':'ipv4','gateway':'eth0'}}]},"
                + "'interfaces':{'ui':{'id':'ui','name':'Web UI','description':'d',"
                + "'masked':false,'addressInfo':{'username':null,'hostId':'main',"
                + "'internalPort':80,'scheme':'http','sslScheme':'https','suffix':''},"
                + "'type':'ui'}}}},"
                + "'bindingRanges':{},'publicDomains':{},'privateDomains':{},'portForwards':[]}}");
    assertSame(f.entry().get("hosts"), expected);
    assertSame(f.call("get-host-info", "{\"hostId\":\"main\"}"), expected.get("main"));
    assertSame(
        f.call("get-service-port-forward", "{\"hostId\":\"main\",\"internalPort\":80}"),
        json("{'assignedPort':50000,'assignedSslPort':null}"));
    assertSame(
        f.call("list-service-interfaces", "{}"), expected.at("/main/bindings/80/interfaces"));
  }

  @Test
  void aRangeAndItsInterfaceAreStoredAsTheyWere() throws Exception {
    f.call(
        "bind-range",
        "{\"id\":\"rtp\",\"internalStartPort\":40000,\"externalStartPort\":40000,\"numberOfPorts\":3}");
    f.call(
        "export-range-service-interface",
        "{\"hostId\":\"rtp\",\"internalStartPort\":40000,\"id\":\"media\",\"name\":\"Media\","
            + "\"description\":\"d\",\"scheme\":null}");
    assertSame(
        f.entry().at("/hosts/rtp/bindingRanges"),
        json(
            "{'40000':{'internalStartPort':40000,'externalStartPort':40000,'numberOfPorts':3,"
                + "'interface':{'id':'media','name':'Media','description':'d','scheme':null}}}"));
    assertThat(f.sandboxes.dnat)
        .extracting(Dnat::protocol, Dnat::externalStart, Dnat::count)
        .containsExactlyInAnyOrder(tuple(Protocol.TCP, 40000, 3), tuple(Protocol.UDP, 40000, 3));
  }

  @Test
  void actionsTasksAndDependenciesAreStoredAsTheSpecShapesThem() throws Exception {
    f.call(
        "action.export",
        "{\"id\":\"config\",\"metadata\":{\"name\":\"Configure\",\"description\":\"d\","
            + "\"warning\":null,\"visibility\":{\"disabled\":\"not yet\"},"
            + "\"allowedStatuses\":\"only-running\",\"hasInput\":true,\"group\":null}}");
    assertSame(
        f.entry().at("/actions/config"),
        json(
            "{'name':'Configure','description':'d','warning':null,"
                + "'visibility':{'disabled':'not yet'},'allowedStatuses':'only-running',"
                + "'hasInput':true,'group':null}"));
    f.call(
        "action.create-task",
        "{\"replayId\":\"other:config\",\"packageId\":\"other\",\"actionId\":\"config\","
            + "\"severity\":\"important\",\"reason\":\"r\","
            + "\"input\":{\"kind\":\"partial\",\"value\":{\"a\":1}}}");
    assertSame(
        f.entry().at("/tasks/other:config"),
        json(
            "{'task':{'packageId':'other','actionId':'config','severity':'important',"
                + "'reason':'r','input':{'kind':'partial','accept':[{'a':1}],'set':{'a':1}}},"
                + "'active':true}"));
    f.call(
        "set-dependencies",
        "{\"dependencies\":[{\"kind\":\"running\",\"id\":\"other\",\"healthChecks\":[\"web\"],"
            + "\"versionRange\":\">=1\"},{\"kind\":\"exists\",\"id\":\"third\",\"versionRange\":\"*\"}]}");
    assertSame(
        f.entry().get("currentDependencies"),
        json(
            "{'other':{'title':'other','icon':'','versionRange':'>=1','kind':'running',"
                + "'healthChecks':['web']},"
                + "'third':{'title':'third','icon':'','versionRange':'*','kind':'exists'}}"));
    assertSame(
        f.call("get-dependencies", "{}"),
        json(
            "[{'kind':'running','id':'other','versionRange':'>=1','healthChecks':['web']},"
                + "{'kind':'exists','id':'third','versionRange':'*'}]"));
  }
}
