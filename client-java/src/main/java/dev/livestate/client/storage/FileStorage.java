package dev.livestate.client.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@link Saved} state as one JSON file. Each save writes a sibling file, forces it to the disk
 * and moves it over the old one, so a crash mid-save leaves the previous state whole.
 */
public final class FileStorage implements ClientStorage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public FileStorage(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public Saved load() throws IOException {
    try {
      return JSON.readValue(Files.readAllBytes(file), Saved.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public void save(Saved saved) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(saved));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
