package com.su7.localstack;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.SecurityUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * docker-compose's Kafka users and ACLs, written from {@link KafkaPrincipal}'s catalog so the containers grant exactly
 * what the local stack grants: {@code docker/kafka/setup.sh} reads the file, {@code KafkaAclFileTests} fails when the
 * committed file and the catalog differ.
 */
public final class KafkaAclFile {

    /** The committed file, from the repository's root. */
    public static final Path COMMITTED = Path.of("docker", "kafka", "acls.generated");

    static final String REGENERATE = "./mvnw -q -pl local-stack -am package -DskipTests && java -cp "
            + "\"$(cat local-stack/target/classpath.txt):local-stack/target/classes\" com.su7.localstack.KafkaAclFile " + COMMITTED;

    private KafkaAclFile() {
    }

    /** {@code java com.su7.localstack.KafkaAclFile [FILE]}: (re)writes FILE, by default {@link #COMMITTED} from the working directory. */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : COMMITTED;
        Files.writeString(file, render(KafkaPrincipal.ALL));
        System.out.println("wrote " + file);
    }

    static String render(List<KafkaPrincipal> principals) {
        StringBuilder text = new StringBuilder("""
                # docker-compose's Kafka users and ACLs, read by docker/kafka/setup.sh. Generated from the local stack's
                # catalog (com.su7.localstack.KafkaPrincipal): do not edit by hand; regenerate from the repository's root:
                #   %s
                # user  NAME  VARIABLE-HOLDING-ITS-PASSWORD
                # allow PRINCIPAL OPERATION RESOURCE-TYPE RESOURCE-NAME PATTERN-TYPE
                """.formatted(REGENERATE));
        principals.forEach(principal -> text.append("user %s %s%n".formatted(principal.name(), principal.passwordVariable())));
        principals.forEach(principal -> principal.acls().forEach(acl -> text.append(line(acl))));
        return text.toString();
    }

    /** In kafka-acls.sh's words: {@code allow orders Write Topic orders.preorder-placed literal}. */
    private static String line(AclBinding acl) {
        return "allow %s %s %s %s %s%n".formatted(
                acl.entry().principal().substring("User:".length()),
                SecurityUtils.operationName(acl.entry().operation()),
                SecurityUtils.resourceTypeName(acl.pattern().resourceType()),
                acl.pattern().name(),
                acl.pattern().patternType().name().toLowerCase(Locale.ROOT));
    }
}
