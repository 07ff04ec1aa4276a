{#- Text cleaning shared by every staging model. -#}

{% macro clean_text(expression) -%}
    {{ return(adapter.dispatch('clean_text', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__clean_text(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}


{% macro normalise_enum(expression) -%}
    {{ return(adapter.dispatch('normalise_enum', 'audience_segments')(expression)) }}
{%- endmacro %}

{#- Sources spell one label many ways ('  Paid Social', 'PAID_SOCIAL');
    lower snake case makes them one value that accepted_values can test. -#}
{% macro default__normalise_enum(expression) -%}
    nullif(replace(lower(trim({{ expression }})), ' ', '_'), '')
{%- endmacro %}


{% macro is_valid_email(expression) -%}
    {{ return(adapter.dispatch('is_valid_email', 'audience_segments')(expression)) }}
{%- endmacro %}

{#- LIKE patterns rather than a regex so the rule runs unchanged on every
    warehouse: one '@' with text on both sides, a dot in the domain, no space. -#}
{% macro default__is_valid_email(expression) -%}
    (
        {{ expression }} like '%_@_%._%'
        and {{ expression }} not like '%@%@%'
        and {{ expression }} not like '% %'
    )
{%- endmacro %}


{% macro surrogate_key(columns) -%}
    {{ return(adapter.dispatch('surrogate_key', 'audience_segments')(columns)) }}
{%- endmacro %}

{#- A NULL part must not make the whole key NULL, and ('a', NULL) must not
    collide with ('a', ''), hence the sentinel. -#}
{% macro default__surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string()
            ~ "), '_null_')"
        ) -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{% macro quoted_list(values) -%}
    {%- for value in values -%}
        '{{ value }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}


{#- A configuration string as a SQL literal, typed as text even when empty. -#}
{% macro sql_string(value) -%}
    cast('{{ (value if value is not none else "") | string | replace("'", "''") }}' as {{ dbt.type_string() }})
{%- endmacro %}


{#- Cast that yields NULL instead of failing, so an unreadable value becomes a
    quarantine reason rather than a failed run. -#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'audience_segments')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{#- dbt-duckdb's safe_cast is a plain cast; DuckDB's own try_cast is safe. -#}
{% macro duckdb__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
