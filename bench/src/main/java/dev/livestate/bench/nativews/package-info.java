/** Native protocol load: fan-out, many rooms, durable acknowledged writes. */
package dev.livestate.bench.nativews;
