{#- The body of a staging model whose source is switched off
    (audience_segments_using_<source>: false): no rows, and every column of
    the model's YAML with its declared data_type, so that everything
    downstream builds unchanged and the customer_360 fields the source feeds
    are NULL (or 0 for counts). Reads no relation. -#}
{% macro disabled_source_relation() -%}
    {%- set items = [] -%}
    {%- for column in model.columns.values() -%}
        {%- if not column.data_type -%}
            {{ exceptions.raise_compiler_error(
                'audience_segments: column ' ~ column.name ~ ' of ' ~ model.name ~ ' needs a data_type in its YAML'
            ) }}
        {%- endif -%}
        {%- do items.append('cast(null as ' ~ column.data_type ~ ') as ' ~ column.name) -%}
    {%- endfor -%}
    select
        {{ items | join(',\n        ') }}
    where 1 = 0
{%- endmacro %}
