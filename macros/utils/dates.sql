{% macro max_valid_timestamp() -%}
    {{ return(adapter.dispatch('max_valid_timestamp', 'audience_segments')()) }}
{%- endmacro %}

{#- Rows stamped after this instant are quarantined as 'future_timestamp'.
    Pin it with the var for reproducible back-fills. -#}
{% macro default__max_valid_timestamp() -%}
    {%- set pinned = var('audience_segments_max_valid_timestamp', none) -%}
    {%- if pinned and pinned is not string and pinned.isoformat is defined -%}
        {%- set pinned = pinned.isoformat() -%}
    {%- endif -%}
    {%- if pinned and not (pinned is string
        and modules.re.match('^\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?)?$', pinned)) -%}
        {{ audience_segments.segment_config_error(none, none, none,
            "audience_segments_max_valid_timestamp must be a timestamp written YYYY-MM-DD[ HH:MM[:SS]], got '" ~ pinned ~ "'") }}
    {%- endif -%}
    {%- if pinned -%}
        {%- do audience_segments.checked_iso_date(pinned[:10], 'audience_segments_max_valid_timestamp') -%}
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


{#- Distinct days (0 = the reference date) with at least one row among
    those with days_ago below within_days, as a bigint, 0 when none. -#}
{% macro count_days_within(days_ago, within_days) -%}
    {{ return(adapter.dispatch('count_days_within', 'audience_segments')(days_ago, within_days)) }}
{%- endmacro %}

{% macro default__count_days_within(days_ago, within_days) -%}
    count(distinct case when {{ days_ago }} >= 0 and {{ days_ago }} < {{ within_days }} then {{ days_ago }} end)
{%- endmacro %}

{#- count(distinct) keeps a hash set per customer and was the costliest part
    of the engagement facts at 1M customers (16 s of 40M event rows); one bit
    per day OR-ed into a 128-bit integer is a plain aggregate (about 3x
    faster) and gives the same count. -#}
{% macro duckdb__count_days_within(days_ago, within_days) -%}
    {%- if within_days | int > 126 or within_days | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            'count_days_within: within_days must be between 1 and 126 on DuckDB, got ' ~ within_days
        ) }}
    {%- endif -%}
    {%- set mask_type = 'bigint' if within_days | int <= 62 else 'hugeint' -%}
    cast(coalesce(bit_count(bit_or(
        case when {{ days_ago }} >= 0 and {{ days_ago }} < {{ within_days }}
            then cast(1 as {{ mask_type }}) << cast({{ days_ago }} as integer) end
    )), 0) as {{ dbt.type_bigint() }})
{%- endmacro %}
