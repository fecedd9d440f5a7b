/**
 * The allowed values of vitcap's numeric settings ({@link dev.vitcap.settings.Range}): each is declared
 * once, beside the setting, and checked both by the API where the setting is made and by the command
 * line where it is typed. Depends on the JDK only.
 */
package dev.vitcap.settings;
