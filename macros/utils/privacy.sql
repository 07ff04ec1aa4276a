{% macro hash_salt() -%}
    {#- The salt is a run-time secret; the demo default is deliberately
        labelled so nobody mistakes it for a production value. -#}
    {%- set salt = var('audience_segments_hash_salt', none)
        or env_var('AUDIENCE_SEGMENTS_HASH_SALT', 'demo-salt-unsafe-for-production') -%}
    {{ return(salt | replace("'", "''")) }}
{%- endmacro %}


{% macro pseudonymise(expression) -%}
    {{ return(adapter.dispatch('pseudonymise', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__pseudonymise(expression) -%}
    {{ dbt.hash(dbt.concat(["'" ~ audience_segments.hash_salt() ~ "'", expression])) }}
{%- endmacro %}

{#- DuckDB has sha256: prefer it to the md5 of dbt.hash where it exists. -#}
{% macro duckdb__pseudonymise(expression) -%}
    sha256({{ dbt.concat(["'" ~ audience_segments.hash_salt() ~ "'", expression]) }})
{%- endmacro %}
