export function upToDateBuild(options: {
  root: string;
  cache: string;
  entryPoints: Record<string, string>;
  alsoWatched?: string[];
}): Promise<string>;
