package com.su7.messaging;

import com.su7.messaging.count.KeptCount;
import com.su7.messaging.testapp.MessagingTestApplication;
import com.su7.testsupport.WithLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Counts kept as deltas, read and folded on a real PostgreSQL. */
@SpringBootTest(classes = MessagingTestApplication.class)
@WithLocalStack
class KeptCountIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JdbcClient jdbcClient;

    @BeforeEach
    void tables() {
        jdbc.execute("drop table if exists kept_per_key, kept_one");
        jdbc.execute("create table kept_per_key (id bigint generated always as identity primary key, city text not null, delta bigint not null)");
        jdbc.execute("create table kept_one (id bigint generated always as identity primary key, delta bigint not null)");
    }

    @Test
    void aCountPerKeyIsTheSumOfItsDeltasBeforeAndAfterAFold() {
        KeptCount awaiting = KeptCount.perKey(jdbcClient, "kept_per_key", "city");
        jdbc.update("insert into kept_per_key (city, delta) values ('Beijing', 5), ('Beijing', -2), ('Wuhan', 7), ('Beijing', 1), ('Wuhan', -7)");

        assertThat(awaiting.byKey()).isEqualTo(Map.of("Beijing", 4L, "Wuhan", 0L));
        assertThat(awaiting.total()).isEqualTo(4);

        awaiting.fold();

        assertThat(jdbc.queryForObject("select count(*) from kept_per_key", Long.class)).as("a row per key").isEqualTo(2);
        assertThat(awaiting.byKey()).isEqualTo(Map.of("Beijing", 4L, "Wuhan", 0L));
    }

    @Test
    void aFoldWithNothingToFoldWritesNothing() {
        KeptCount perKey = KeptCount.perKey(jdbcClient, "kept_per_key", "city");
        KeptCount one = KeptCount.in(jdbcClient, "kept_one");
        jdbc.update("insert into kept_per_key (city, delta) values ('Beijing', 3), ('Wuhan', 2)");
        jdbc.update("insert into kept_one (delta) values (9)");
        List<String> before = rowVersions();

        perKey.fold();
        one.fold();

        assertThat(rowVersions()).as("no row rewritten").isEqualTo(before);
    }

    @Test
    void oneCountFoldsIntoOneRow() {
        KeptCount length = KeptCount.in(jdbcClient, "kept_one");
        jdbc.update("insert into kept_one (delta) values (10), (-3), (4)");

        length.fold();

        assertThat(length.total()).isEqualTo(11);
        assertThat(jdbc.queryForObject("select count(*) from kept_one", Long.class)).isEqualTo(1);
        assertThatThrownBy(length::byKey).hasMessageContaining("kept_one keeps one count");
    }

    @Test
    void tablesAndKeysArePlainNames() {
        assertThatThrownBy(() -> KeptCount.in(jdbcClient, "kept_one; drop table kept_one"))
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
