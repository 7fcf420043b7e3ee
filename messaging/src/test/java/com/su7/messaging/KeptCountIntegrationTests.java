package com.su7.messaging;

import com.su7.messaging.count.KeptCount;
import com.su7.messaging.count.KeptCountProperties;
import com.su7.messaging.count.KeptCounts;
import com.su7.messaging.testapp.MessagingTestApplication;
import com.su7.testsupport.WithLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Counts kept as deltas, read and folded on a real PostgreSQL. */
@SpringBootTest(classes = MessagingTestApplication.class)
@WithLocalStack
class KeptCountIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JdbcClient jdbcClient;
    /** The test application's, started: it folds every 5 s (the default) what is declared to it. */
    @Autowired
    KeptCounts serviceCounts;
    /** Folded only when a test calls it. */
    KeptCounts counts;

    @BeforeEach
    void tables() {
        counts = new KeptCounts(jdbcClient, new KeptCountProperties(Duration.ofHours(1)));
        jdbc.execute("drop table if exists kept_per_key, kept_one");
        jdbc.execute("create table kept_per_key (id bigint generated always as identity primary key, city text not null, delta bigint not null)");
        jdbc.execute("create table kept_one (id bigint generated always as identity primary key, delta bigint not null)");
    }

    @Test
    void aCountPerKeyIsTheSumOfItsDeltasBeforeAndAfterAFold() {
        KeptCount awaiting = counts.perKey("kept_per_key", "city");
        jdbc.update("insert into kept_per_key (city, delta) values ('Beijing', 5), ('Beijing', -2), ('Wuhan', 7), ('Beijing', 1), ('Wuhan', -7)");

        assertThat(awaiting.byKey()).isEqualTo(Map.of("Beijing", 4L, "Wuhan", 0L));
        assertThat(awaiting.total()).isEqualTo(4);

        assertThat(counts.foldAll()).isZero();

        assertThat(jdbc.queryForObject("select count(*) from kept_per_key", Long.class)).as("a row per key").isEqualTo(2);
        assertThat(awaiting.byKey()).isEqualTo(Map.of("Beijing", 4L, "Wuhan", 0L));
    }

    @Test
    void aFoldWithNothingToFoldWritesNothing() {
        counts.perKey("kept_per_key", "city");
        counts.in("kept_one");
        jdbc.update("insert into kept_per_key (city, delta) values ('Beijing', 3), ('Wuhan', 2)");
        jdbc.update("insert into kept_one (delta) values (9)");
        List<String> before = rowVersions();

        assertThat(counts.foldAll()).isZero();

        assertThat(rowVersions()).as("no row rewritten").isEqualTo(before);
    }

    @Test
    void oneCountFoldsIntoOneRow() {
        KeptCount length = counts.in("kept_one");
        jdbc.update("insert into kept_one (delta) values (10), (-3), (4)");

        assertThat(counts.foldAll()).isZero();

        assertThat(length.total()).isEqualTo(11);
        assertThat(jdbc.queryForObject("select count(*) from kept_one", Long.class)).isEqualTo(1);
        assertThatThrownBy(length::byKey).hasMessageContaining("kept_one keeps one count");
    }

    @Test
    void aCountThatCannotFoldLeavesTheOthersFolding() {
        KeptCount length = counts.in("kept_one");
        counts.perKey("kept_per_key", "city");
        jdbc.update("insert into kept_one (delta) values (2), (3)");
        jdbc.execute("drop table kept_per_key");

        assertThat(counts.foldAll()).as("counts that failed").isEqualTo(1);

        assertThat(length.total()).isEqualTo(5);
        assertThat(jdbc.queryForObject("select count(*) from kept_one", Long.class)).as("folded regardless").isEqualTo(1);
    }

    @Test
    void aTableIsOneCount() {
        KeptCount first = counts.perKey("kept_per_key", "city");

        assertThat(counts.perKey("kept_per_key", "city")).isSameAs(first);
        assertThatThrownBy(() -> counts.in("kept_per_key"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("declared both per city and per nothing");
    }

    @Test
    void aServiceFoldsWhatItDeclaresOnItsOwn() {
        // Kept across runs in a shared database: the service folds what it was declared for as long as it runs.
        jdbc.execute("create table if not exists kept_by_the_service (id bigint generated always as identity primary key, delta bigint not null)");
        jdbc.execute("truncate kept_by_the_service");
        jdbc.update("insert into kept_by_the_service (delta) values (1), (1), (1)");

        KeptCount declared = serviceCounts.in("kept_by_the_service");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("select count(*) from kept_by_the_service", Long.class)).isEqualTo(1));
        assertThat(declared.total()).isEqualTo(3);
    }

    @Test
    void tablesAndKeysArePlainNames() {
        assertThatThrownBy(() -> counts.in("kept_one; drop table kept_one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain lower-case names");
    }

    private List<String> rowVersions() {
        return jdbc.queryForList("""
                select 'kept_per_key ' || ctid || ' ' || xmin from kept_per_key
                union all
                select 'kept_one ' || ctid || ' ' || xmin from kept_one
                order by 1""", String.class);
    }
}
