{#- Quarantined share per source (check quarantine_share): no source of
    `model` (stg_audit__row_reconciliation, one row per source_key) has more
    of its raw rows quarantined than its maximum. The check itself is
    defined once, in `health` (source_health, a view), which the Great
    Expectations gate reads too; this test returns its failing rows, each
    with a failure_message naming the source, the top reasons with counts
    and example raw values.

    dbt prints no failing rows, so the messages are also logged when the
    test runs. `health` is downstream of `model` and the test depends on
    it, so a failure never skips source_health. -#}
{% test quarantined_share_within_limit(model, health) %}

    {%- if execute and load_relation(health) is not none -%}
        {%- set failing = run_query(
            'select failure_message from ' ~ health
            ~ " where health_status <> 'ok' and source_key in (select source_key from " ~ model ~ ')'
            ~ ' order by source_key'
        ) -%}
        {%- for message in failing.columns[0].values() -%}
            {{ log('quarantine_share [' ~ config.get('severity', 'error') | lower ~ ']: ' ~ message, info=true) }}
        {%- endfor -%}
    {%- endif %}

    select *
    from {{ health }}
    where
        health_status <> 'ok'
        and source_key in (select source_key from {{ model }})

{% endtest %}
