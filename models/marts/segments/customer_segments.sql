{%- set schemes = audience_segments.compiled_segment_schemes() -%}

with

matches as (

    select * from {{ ref('int_segment_matches') }}

),

final as (

    select
        customer_id,
        {%- for scheme in schemes %}
            primary__{{ scheme.name }} as {{ scheme.name }},
        {%- endfor %}
        as_of_date
    from matches

)

select * from final
