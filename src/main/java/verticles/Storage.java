package verticles;

import data.StoredObjectRepository;
import data.blob.BlobStore;
import handlers.storage.SignObjectLinks;

/** The blob store, the rows describing what is in it, and the signer of download links. */
public record Storage(BlobStore store, StoredObjectRepository objects, SignObjectLinks links) {
}
