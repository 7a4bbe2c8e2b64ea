/** Configuration: typed settings read from defaults, a JSON file, the environment and flags. */
package dev.livestate.server.config;
