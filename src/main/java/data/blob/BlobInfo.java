package data.blob;

import java.time.Instant;

/**
 * What the store knows about a blob.
 *
 * @param key          the blob's key
 * @param size         bytes
 * @param sha256       lower-case hex SHA-256 of the whole blob, or null when unknown (a blob
 *                     built by {@link BlobStore#append} has none: its chunks are hashed one by one)
 * @param contentType  the stored content type
 * @param tier         the access tier
 * @param lastModified when the content last changed
 * @param rehydrating  true while an archived blob is being brought back to {@link BlobStore.Tier#COOL}
 */
public record BlobInfo(BlobKey key, long size, String sha256, String contentType, BlobStore.Tier tier,
                       Instant lastModified, boolean rehydrating) {
}
