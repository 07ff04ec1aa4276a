{%- set schemes = audience_segments.compiled_segment_schemes() -%}

with

matches as (

    select * from {{ ref('int_segment_matches') }}

),

definitions as (

    select * from {{ ref('segment_definitions') }}

),

candidates as (

    {#- Customers x segments, one pass: a segment is a membership when its
        flag is set; the fallback is one exactly when nothing else matched,
        so every primary segment is also a membership. -#}
    select
        matches.customer_id,
        definitions.segment_id,
        definitions.scheme_name,
        definitions.segment_name,
        definitions.segment_priority,
        definitions.scheme_version,
        matches.as_of_date,
        case {{ dbt.concat(['definitions.scheme_name', "'.'", 'definitions.segment_name']) }}
            {%- for scheme in schemes %}
            {%- for segment in scheme.segments %}
            when '{{ scheme.name }}.{{ segment.name }}'
                then {{ 'matches.count_matches__' ~ scheme.name ~ ' = 0' if segment.is_fallback
                    else 'matches.is_match__' ~ scheme.name ~ '__' ~ segment.name }}
            {%- endfor %}
            {%- endfor %}
        end as is_member,
        case definitions.scheme_name
            {%- for scheme in schemes %}
            when '{{ scheme.name }}' then matches.primary__{{ scheme.name }}
            {%- endfor %}
        end = definitions.segment_name as is_primary
    from matches
    cross join definitions

),

final as (

    select
        {{ audience_segments.surrogate_key(['customer_id', 'scheme_name', 'segment_name']) }}
            as segment_membership_id,
        customer_id,
        segment_id,
        scheme_name,
        segment_name,
        segment_priority,
        is_primary,
        scheme_version,
        as_of_date
    from candidates
    where is_member

)

select * from final
