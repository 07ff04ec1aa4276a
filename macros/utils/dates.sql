{% macro max_valid_timestamp() -%}
    {{ return(adapter.dispatch('max_valid_timestamp', 'audience_segments')()) }}
{%- endmacro %}

{#- Rows stamped after this instant are quarantined as 'future_timestamp'.
    Pin it with the var for reproducible back-fills. -#}
{% macro default__max_valid_timestamp() -%}
    {%- set pinned = var('audience_segments_max_valid_timestamp', none) -%}
    {%- if pinned -%}
        cast('{{ pinned }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}


{% macro as_of_date() -%}
    {{ return(adapter.dispatch('as_of_date', 'audience_segments')()) }}
{%- endmacro %}

{#- Scalar reference date for every relative window, computed once in
    int_reference_date (the pinned var, else the latest valid activity). -#}
{% macro default__as_of_date() -%}
    (select ref_date.as_of_date from {{ ref('int_reference_date') }} as ref_date)
{%- endmacro %}
