{#- Segment size health (checks min_size and max_share), read from a health
    model shaped like segment_health, where the flags are computed once.
    Attached to segment_health itself: dbt build skips the models
    downstream of a failing test's models, and no model reads
    segment_health, so these tests never skip a mart or a diagnostic mart,
    whatever their severity. -#}

{#- Every non-fallback segment of the catalog holds at least its scheme's
    min_segment_size members and min_segment_share of the scheme; a segment
    with no member at all (one that disappeared) fails too. One row per
    failing segment. -#}
{% test segment_min_size(model) %}

    select
        scheme_name,
        segment_name,
        member_count,
        member_share,
        min_segment_size,
        min_segment_share,
        health_status
    from {{ model }}
    where is_below_min_size or is_below_min_share

{% endtest %}


{#- No segment (fallback included) at or above its scheme's
    max_segment_share of the audience: a segment that big means the scheme
    does not segment. One row per failing segment. -#}
{% test segment_max_share(model) %}

    select
        scheme_name,
        segment_name,
        member_count,
        member_share,
        max_segment_share,
        health_status
    from {{ model }}
    where is_at_max_share

{% endtest %}
