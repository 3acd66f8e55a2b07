package io.domainlink.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.DnsRecord;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PremiumPlan;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RecordType;
import io.domainlink.events.Registrar;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** Every event type through the serde, a real broker and the real (Apicurio) registry, and back. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class EventRoundTripIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static SchemaRegistryClient registry;

    static final Instant T = Instant.parse("2026-11-27T10:00:00.123Z");
    static final RequestContext CTX = RequestContext.newBuilder().setRequestId("req-1").setDomain("example.com")
            .setFlow(Flow.NAMESERVERS).setAccountId("0f5d6a3e-1111-4a4a-9e9e-123456789abc")
            .setSiteId("918aa943-ab4f-40bc-88c3-8dfd02fae7cd").setCorrelation(Map.of("traceId", "t-1", "tenant", "acme"))
            .setGeneration(1).build();

    @BeforeAll
    static void setUp() {
        registry = new SchemaRegistryClient(RegistryConfig.of(registryProcess.confluentUrl()));
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(1, (short) 1, Map.of())).toList());
    }

    @AfterAll
    static void tearDown() {
        registry.close();
    }

    @Test
    void everyEventTypeRoundTripsThroughTheBrokerAndTheRegistry() {
        everyEventTypeRoundTrips(kafka, registryProcess.confluentUrl());
    }

    /** The round trip of every event type on any cluster; also run against the apache/kafka image by Testcontainers. */
    static void everyEventTypeRoundTrips(KafkaCluster kafka, String registryUrl) {
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(1, (short) 1, Map.of())).toList());
        RoundTrip rt = new RoundTrip(kafka, registryUrl);
        DnsRecord a = DnsRecord.newBuilder().setType(RecordType.A).setHostName("example.com").setTtl(3600)
                .setValues(List.of("185.230.63.107")).build();
        Registrar registrar = Registrar.newBuilder().setName("OTHER").setNameServers(List.of("ns1.registrar.test")).build();
        PremiumPlan plan = PremiumPlan.newBuilder().setCatalogProductId("00ba7923-2655-402a-852d-2b2100568bcf").setCountryCode("BR")
                .setBillingCycle(BillingCycle.newBuilder().setType(CycleType.RECURRING).setUnit(CycleUnit.YEAR).setCount(1).build()).build();

        rt.roundTrip(Topics.REQUESTS, ConnectionRequested.newBuilder().setRequestId("req-1").setDomain("Example.COM.")
                .setConnectionType(ConnectionType.NAMESERVERS).setAccountId(CTX.getAccountId()).setSiteId(CTX.getSiteId())
                .setAssignment(AssignmentType.PRIMARY).setSuppressNotifications(true).setPremiumPlan(plan)
                .setCorrelation(Map.of("k", "v")).setRequestedAt(T).build());
        rt.roundTrip(Topics.RECHECKS, RecheckRequested.newBuilder().setDomain("example.com").setRequestId("req-1")
                .setCorrelation(Map.of()).setRequestedAt(T).build());
        rt.roundTrip(Topics.ACCEPTED, ConnectionAccepted.newBuilder().setContext(CTX).setOccurredAt(T).setRequestedAt(T)
                .setConnectionType(ConnectionType.NAMESERVERS).setAssignment(AssignmentType.REDIRECT)
                .setSuppressNotifications(false).setPremiumPlan(plan).build());
        rt.roundTrip(Topics.CONFIGURED, ConnectionConfigured.newBuilder().setContext(CTX).setOccurredAt(T).setRequestedAt(T)
                .setPackageId("828b98fb-7114-4b3c-90fd-8d0db76aa72b").setRegistrar(registrar)
                .setRecordsSetByPipeline(List.of(a)).setRecordsForOwner(List.of()).setOwnerMustAct(true)
                .setWixStatus(PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS).build());
        rt.roundTrip(Topics.OWNER_ACTIONS, OwnerActionRequired.newBuilder().setContext(CTX).setOccurredAt(T)
                .setAction(OwnerAction.SET_NAMESERVERS).setRecords(List.of(a)).setRegistrar(registrar)
                .setInstructions("Set the name servers at your registrar").build());
        rt.roundTrip(Topics.PROGRESS, PropagationProgress.newBuilder().setContext(CTX).setOccurredAt(T)
                .setPreviousStatus(PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS).setStatus(PropagationStatus.IN_PROGRESS)
                .setChecks(3).setNextCheckAt(T.plusSeconds(30)).build());
        rt.roundTrip(Topics.OUTCOMES, DomainConnected.newBuilder().setContext(CTX).setOccurredAt(T).setRequestedAt(T)
                .setDurationMillis(1234).setChecks(4).build());
        rt.roundTrip(Topics.OUTCOMES, DomainFailed.newBuilder().setContext(CTX).setOccurredAt(T).setReason(FailureReason.WIX_REJECTED)
                .setStage(Stage.CONNECTOR).setMessage("Wix said no").setWixHttpStatus(403).setWixErrorCode("NON_PREMIUM_SITE")
                .setWixMessage("Domain can't be assigned to free Wix site").setLastStatus(null).build());
    }

    @Test
    void aReaderWithTheCurrentSchemaReadsARecordWrittenWithANewerCompatibleOne() throws Exception {
        // a newer writer: RecheckRequested with a new optional field, registered as the next version of the subject
        String topic = Topics.RECHECKS.name();
        Schema newer = new Schema.Parser().parse(RecheckRequested.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null},"));
        int id = registry.register(Topics.RECHECKS.valueSubject(), newer);
        GenericRecord rec = new GenericData.Record(newer);
        rec.put("source", "support-portal");
        rec.put("domain", "newer.example.com");
        rec.put("requestId", null);
        rec.put("correlation", Map.of("k", "v"));
        rec.put("requestedAt", T.toEpochMilli());
        var out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(newer).write(rec, enc);
        enc.flush();
        try (var producer = new KafkaProducer<>(kafka.producerProperties(StringSerializer.class, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "newer.example.com", out.toByteArray())).get();
        }
        // a fresh client, so the writer schema must come from the registry by id
        try (SchemaRegistryClient fresh = new SchemaRegistryClient(RegistryConfig.of(registryProcess.confluentUrl()))) {
            RecheckRequested read = Topics.RECHECKS.valueDeserializer(fresh).deserialize(topic, RoundTrip.lastValue(kafka, topic, "newer.example.com"));
            assertThat(read.getDomain()).isEqualTo("newer.example.com");
            assertThat(read.getCorrelation()).containsEntry("k", "v");
        }
    }

    @Test
    void theRealRegistryRefusesAnIncompatibleSchemaUnderFullTransitive() {
        String subject = "compat-probe-value";
        registry.register(subject, ConnectionRequested.getClassSchema());
        registry.setCompatibility(subject, "FULL_TRANSITIVE");
        Schema current = ConnectionRequested.getClassSchema();
        Schema withoutSiteId = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(f -> !f.name().equals("siteId")).map(f -> new Schema.Field(f, f.schema())).toList());
        assertThat(withoutSiteId.getField("siteId")).isNull();
        assertThat(registry.isCompatible(subject, withoutSiteId)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, withoutSiteId))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.SCHEMA_REJECTED));
    }

    record RoundTrip(KafkaCluster kafka, String registryUrl) {

        @SuppressWarnings("unchecked")
        <V> void roundTrip(TopicSpec<V> topic, Object event) {
        V value = (V) event;
        String key = "k-" + System.nanoTime();
        try (var producer = new KafkaProducer<>(kafka.producerProperties(StringSerializer.class, ByteArraySerializer.class));
             SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(registryUrl))) {
            producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerializer(registry, true).serialize(topic.name(), value))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        byte[] bytes = lastValue(kafka, topic.name(), key);
        assertThat(bytes[0]).as("magic byte").isZero();
        try (SchemaRegistryClient fresh = new SchemaRegistryClient(RegistryConfig.of(registryUrl))) {
            V back = topic.valueDeserializer(fresh).deserialize(topic.name(), bytes);
            assertThat(back).as(topic.name()).isEqualTo(value);
            if (value instanceof SpecificRecord sr) {
                assertThat(back.getClass()).isEqualTo(sr.getClass());
            }
        }
    }

    static byte[] lastValue(KafkaCluster kafka, String topic, String key) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "rt-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (found.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
            assertThat(found).as("record %s on %s", key, topic).hasSize(1);
            return found.get(0).value();
        }
    }
    }
}
