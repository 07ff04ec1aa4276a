{%- set schemes = audience_segments.compiled_segment_schemes() -%}

with

matches as (

    select * from {{ ref('int_segment_matches') }}

),

definitions as (

    select * from {{ ref('segment_definitions') }}

),

schemes as (

    select distinct
        scheme_ordinal,
        scheme_name,
        scheme_version
    from definitions

),

assigned as (

    {#- Customers x schemes in one pass over the wide match table: the CASE
        picks the scheme's precomputed primary columns. -#}
    select
        {{ audience_segments.surrogate_key(['matches.customer_id', 'schemes.scheme_name']) }}
            as segment_assignment_id,
        matches.customer_id,
        schemes.scheme_name,
        case schemes.scheme_ordinal
            {%- for scheme in schemes %}
                when {{ scheme.ordinal }} then matches.primary__{{ scheme.name }}
            {%- endfor %}
        end as segment_name,
        case schemes.scheme_ordinal
            {%- for scheme in schemes %}
                when {{ scheme.ordinal }} then matches.priority__{{ scheme.name }}
            {%- endfor %}
        end as segment_priority,
        case schemes.scheme_ordinal
            {%- for scheme in schemes %}
                when {{ scheme.ordinal }} then matches.count_matches__{{ scheme.name }}
            {%- endfor %}
        end as count_segments_matched,
        schemes.scheme_version,
        matches.as_of_date
    from matches
    cross join schemes

),

final as (

    {#- The catalog already holds each segment's key: a join on its few rows
        is cheaper than hashing again per assignment. -#}
    select
        assigned.segment_assignment_id,
        assigned.customer_id,
        definitions.segment_id,
        assigned.scheme_name,
        assigned.segment_name,
        assigned.segment_priority,
        assigned.count_segments_matched,
        assigned.scheme_version,
        assigned.as_of_date
    from assigned
    inner join definitions
        on
            assigned.scheme_name = definitions.scheme_name
            and assigned.segment_name = definitions.segment_name

)

select * from final
