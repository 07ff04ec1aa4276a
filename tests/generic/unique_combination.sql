{#- Grain test for a compound key: no two rows share the values of
    `columns` (NULLs compare equal, as in a GROUP BY). Fails with one row
    per repeated combination and its count. -#}
{% test unique_combination(model, columns) %}
    {%- if columns is string or columns is not sequence or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('unique_combination on ' ~ model ~ ': columns must be a non-empty list') }}
    {%- endif %}
    {{ audience_segments.unique_combination_failures(model, columns) }}
{% endtest %}
