package org.xenomarket.market.policy;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One version of the pricing policy as stored: its DRL sources, tables and golden quotes, as JSON
 * text. The content never changes once stored; only the state and its times do.
 */
@Entity
@Table(name = "pricing_policy")
public class PolicyVersion extends PanacheEntityBase {

    @Id
    public String version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PolicyState state;

    @Column(name = "based_on")
    public String basedOn;

    /** JSON object: DRL file name to source text. */
    @Column(name = "drl_sources", nullable = false)
    public String drlSources;

    /** The tables' JSON, as pricing-rules reads it. */
    @Column(nullable = false)
    public String tables;

    /** The golden quotes' JSON, as pricing-rules reads it. */
    @Column(name = "golden_quotes", nullable = false)
    public String goldenQuotes;

    @Column(nullable = false)
    public String checksum;

    @Column(name = "author_id")
    public UUID authorId;

    public String note;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;
}
