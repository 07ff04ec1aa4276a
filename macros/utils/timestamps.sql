{#- Text to a UTC timestamp, NULL when unreadable (so the row is
    quarantined as unparseable_timestamp rather than failing the run).
    format: a strptime format (audience_segments_<source>_timestamp_format)
    for sources whose dates are not ISO-8601, e.g. '%Y%m%d'. -#}
{% macro parse_timestamp(expression, format=none) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'audience_segments')(expression, format)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expression, format=none) -%}
    {%- if format -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments: a timestamp format (' ~ format ~ ') is only implemented for DuckDB on '
            ~ target.type ~ '; override parse_timestamp for your adapter'
        ) }}
    {%- endif -%}
    {{ audience_segments.safe_cast(expression, dbt.type_timestamp()) }}
{%- endmacro %}

{#- DuckDB's cast of text to TIMESTAMP drops an offset ('10:00+02:00'
    becomes 10:00), so text that ends in an offset or Z goes through
    TIMESTAMPTZ and is converted to UTC; text without one is read as UTC
    whatever the session's time zone. -#}
{% macro duckdb__parse_timestamp(expression, format=none) -%}
    {%- if format -%}
        {%- if format is not string or '%' not in format -%}
            {{ exceptions.raise_compiler_error(
                'audience_segments: a timestamp format must be a strptime format such as %Y%m%d, got ' ~ format
            ) }}
        {%- endif -%}
        {%- set quoted = "'" ~ format | replace("'", "''") ~ "'" -%}
        {%- if '%z' in format or '%Z' in format -%}
            timezone('UTC', try_strptime({{ expression }}, {{ quoted }}))
        {%- else -%}
            cast(try_strptime({{ expression }}, {{ quoted }}) as timestamp)
        {%- endif -%}
    {%- else -%}
        case
            when regexp_matches({{ expression }}, ':[0-9]{2}([.,][0-9]+)?\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)$')
                then timezone('UTC', try_cast({{ expression }} as timestamptz))
            else try_cast({{ expression }} as timestamp)
        end
    {%- endif -%}
{%- endmacro %}


{#- A timestamp with time zone as a UTC timestamp without one. -#}
{% macro timestamp_to_utc(expression) -%}
    {{ return(adapter.dispatch('timestamp_to_utc', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__timestamp_to_utc(expression) -%}
    cast(({{ expression }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__timestamp_to_utc(expression) -%}
    timezone('UTC', {{ expression }})
{%- endmacro %}
